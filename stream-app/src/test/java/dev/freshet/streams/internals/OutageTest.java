package dev.freshet.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.registry.RegistryException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class OutageTest {

  @Test
  void shouldNameTheRegistryWhenItWasUnreachable() {
    RegistryException down = new RegistryException(-1, -1, "connection refused");
    Throwable failure = new StreamsException(new SerializationException("cannot read", down));

    assertThat(Outage.in(failure))
        .hasValueSatisfying(
            o -> {
              assertThat(o.what()).isEqualTo(Outage.REGISTRY);
              assertThat(o.cause()).isSameAs(down);
            });
  }

  @Test
  void shouldNameKafkaWhenARetriableErrorEndedTheThread() {
    Throwable timeout = new TimeoutException("Timeout expired while committing offsets");
    Throwable failure = new StreamsException("commit failed", new KafkaException(timeout));

    assertThat(Outage.in(failure))
        .hasValueSatisfying(
            o -> {
              assertThat(o.what()).isEqualTo(Outage.KAFKA);
              assertThat(o.cause()).isSameAs(timeout);
            });
    assertThat(Outage.in(new CoordinatorNotAvailableException("loading")))
        .hasValueSatisfying(o -> assertThat(o.what()).isEqualTo(Outage.KAFKA));
  }

  @Test
  void shouldNameATransactionKafkaEndedWhileABrokerWasAway() {
    // What a stream app logged when the broker restarted under it (PipelineFaultScheduleIT).
    Throwable ended =
        new InvalidTxnStateException(
            "The producer attempted a transactional operation in an invalid state.");
    Throwable failure =
        new StreamsException("Error encountered trying to commit a transaction", ended);

    assertThat(Outage.in(failure))
        .hasValueSatisfying(
            o -> {
              assertThat(o.what()).isEqualTo(Outage.TRANSACTION);
              assertThat(o.cause()).isSameAs(ended);
            });
  }

  @Test
  void shouldNotCallARegistryAnswerAnOutageEvenWithARetriableErrorFurtherDown() {
    RegistryException refused =
        new RegistryException(
            401, -1, "unauthorized", new TimeoutException("an earlier attempt timed out"));

    assertThat(Outage.in(new SerializationException("cannot write", refused))).isEmpty();
  }

  @Test
  void shouldNotCallOtherFailuresAnOutage() {
    assertThat(Outage.in(new StreamsException(new NullPointerException("bug")))).isEmpty();
    assertThat(Outage.in(new KafkaException("unexpected"))).isEmpty();
  }
}
