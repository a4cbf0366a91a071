package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HangingTransactionsTest {

  private static final TopicPartition TP = new TopicPartition("app-user-history-changelog", 0);
  private static final ProducerState OPEN =
      new ProducerState(2, 137, 4, 0, OptionalInt.of(0), OptionalLong.of(436));

  private static TransactionDescription coordinator(
      TransactionState state, int epoch, Set<TopicPartition> partitions) {
    return new TransactionDescription(1, state, 2, epoch, 3000, OptionalLong.empty(), partitions);
  }

  @Test
  void shouldLeaveATransactionTheCoordinatorHasOngoingOnThePartitionAlone() {
    assertThat(
            HangingTransactions.judge(
                TP, OPEN, "app-1", coordinator(TransactionState.ONGOING, 137, Set.of(TP))))
        .isNull();
  }

  @Test
  void shouldJudgeHangingWhatNoCoordinatorWillEnd() {
    assertThat(HangingTransactions.judge(TP, OPEN, null, null)).contains("no transactional id");
    assertThat(
            HangingTransactions.judge(
                TP, OPEN, "app-1", coordinator(TransactionState.EMPTY, 138, Set.of())))
        .contains("Empty, not ongoing");
    assertThat(
            HangingTransactions.judge(
                TP, OPEN, "app-1", coordinator(TransactionState.COMPLETE_COMMIT, 137, Set.of())))
        .contains("not ongoing");
    assertThat(
            HangingTransactions.judge(
                TP,
                OPEN,
                "app-1",
                coordinator(TransactionState.ONGOING, 137, Set.of(new TopicPartition("other", 0)))))
        .contains("other partitions");
    assertThat(
            HangingTransactions.judge(
                TP, OPEN, "app-1", coordinator(TransactionState.ONGOING, 139, Set.of(TP))))
        .contains("epoch 139");
  }
}
