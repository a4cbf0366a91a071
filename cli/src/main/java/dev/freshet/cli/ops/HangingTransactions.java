package dev.freshet.cli.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds and aborts <em>hanging</em> transactions: a partition holds an open transaction that no
 * transaction coordinator will ever end, so its last stable offset stays put and every {@code
 * read_committed} reader of the partition (a Kafka Streams restore, the trainer, a consumer of
 * recommendations) waits forever. Kafka documents this after unclean leader elections; Freshet's
 * fault tests met it after a broker SIGKILL (docs/reliability.md, "Broker restart").
 *
 * <p>A partition's open transaction is hanging when its producer id belongs to no transactional id
 * the coordinators know, or when the coordinator's transaction for that producer is not ongoing on
 * that partition (ended, empty, or ongoing elsewhere or under another epoch). A healthy transaction
 * can look like that for a moment, when it ends between the two questions; so {@link #find} asks
 * twice, {@code confirmAfter} apart, and keeps what both looks found (same partition, producer,
 * epoch and start offset). This is the judgement of Kafka's {@code kafka-transactions.sh
 * find-hanging}, made over the Admin API by the coordinators' state rather than by age (a record's
 * timestamp is its event time, often old); {@link #abort} is its {@code abort}.
 */
public final class HangingTransactions {

  private static final long TIMEOUT_S = 30;

  /** An open transaction on {@code partition} that nothing will end, and why it was judged so. */
  public record Hanging(
      TopicPartition partition,
      long producerId,
      int producerEpoch,
      int coordinatorEpoch,
      long startOffset,
      String reason) {

    /** Whether {@code o} is the same open transaction (another look may word it differently). */
    boolean sameAs(Hanging o) {
      return partition.equals(o.partition)
          && producerId == o.producerId
          && producerEpoch == o.producerEpoch
          && startOffset == o.startOffset;
    }
  }

  private HangingTransactions() {}

  /**
   * The hanging transactions on every partition of the cluster (internal topics too: a lost
   * transaction leaves its pending offsets open in {@code __consumer_offsets}), found by two looks
   * {@code confirmAfter} apart.
   */
  public static List<Hanging> find(Admin admin, Duration confirmAfter)
      throws ExecutionException, InterruptedException, TimeoutException {
    Set<String> topics =
        admin
            .listTopics(new ListTopicsOptions().listInternal(true))
            .names()
            .get(TIMEOUT_S, TimeUnit.SECONDS);
    List<Hanging> first = look(admin, topics);
    if (first.isEmpty() || confirmAfter.isZero()) {
      return first;
    }
    TimeUnit.MILLISECONDS.sleep(confirmAfter.toMillis()); // the definition: still open later
    List<Hanging> second = look(admin, topics);
    return first.stream().filter(a -> second.stream().anyMatch(a::sameAs)).toList();
  }

  /** One look at these topics: the open transactions the coordinators' state says hang. */
  static List<Hanging> look(Admin admin, Collection<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<TopicPartition> partitions = new ArrayList<>();
    for (TopicDescription d :
        admin.describeTopics(topics).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS).values()) {
      d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
    }
    if (partitions.isEmpty()) {
      return List.of();
    }
    Map<TopicPartition, List<ProducerState>> open = new HashMap<>();
    admin
        .describeProducers(partitions)
        .all()
        .get(TIMEOUT_S, TimeUnit.SECONDS)
        .forEach(
            (tp, d) ->
                d.activeProducers().stream()
                    .filter(p -> p.currentTransactionStartOffset().isPresent())
                    .forEach(p -> open.computeIfAbsent(tp, k -> new ArrayList<>()).add(p)));
    if (open.isEmpty()) {
      return List.of();
    }
    Set<Long> producerIds = new HashSet<>();
    open.values().forEach(ps -> ps.forEach(p -> producerIds.add(p.producerId())));
    Map<Long, String> transactionalIds = new HashMap<>();
    for (TransactionListing l :
        admin
            .listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
            .all()
            .get(TIMEOUT_S, TimeUnit.SECONDS)) {
      transactionalIds.put(l.producerId(), l.transactionalId());
    }
    Map<String, TransactionDescription> transactions =
        transactionalIds.isEmpty()
            ? Map.of()
            : admin
                .describeTransactions(transactionalIds.values())
                .all()
                .get(TIMEOUT_S, TimeUnit.SECONDS);
    List<Hanging> out = new ArrayList<>();
    open.forEach(
        (tp, producers) -> {
          for (ProducerState p : producers) {
            String id = transactionalIds.get(p.producerId());
            String reason = judge(tp, p, id, id == null ? null : transactions.get(id));
            if (reason != null) {
              out.add(
                  new Hanging(
                      tp,
                      p.producerId(),
                      p.producerEpoch(),
                      p.coordinatorEpoch().orElse(-1),
                      p.currentTransactionStartOffset().getAsLong(),
                      reason));
            }
          }
        });
    out.sort(
        Comparator.comparing((Hanging h) -> h.partition().toString())
            .thenComparingLong(Hanging::startOffset));
    return out;
  }

  /** Why the open transaction of {@code p} on {@code tp} hangs, or null if it does not. */
  static String judge(
      TopicPartition tp, ProducerState p, String transactionalId, TransactionDescription t) {
    if (transactionalId == null || t == null) {
      return "producer " + p.producerId() + " belongs to no transactional id a coordinator knows";
    }
    if (t.state() != TransactionState.ONGOING) {
      return "transaction '" + transactionalId + "' is " + t.state() + ", not ongoing";
    }
    if (!t.topicPartitions().contains(tp)) {
      return "transaction '" + transactionalId + "' is ongoing on other partitions";
    }
    if (t.producerEpoch() != p.producerEpoch()) {
      return "transaction '"
          + transactionalId
          + "' is ongoing under epoch "
          + t.producerEpoch()
          + ", the partition's under "
          + p.producerEpoch();
    }
    return null;
  }

  /** Aborts each of {@code hanging} (writes the abort marker its coordinator never wrote). */
  public static void abort(Admin admin, Collection<Hanging> hanging)
      throws ExecutionException, InterruptedException, TimeoutException {
    for (Hanging h : hanging) {
      admin
          .abortTransaction(
              new AbortTransactionSpec(
                  h.partition(), h.producerId(), (short) h.producerEpoch(), h.coordinatorEpoch()))
          .all()
          .get(TIMEOUT_S, TimeUnit.SECONDS);
    }
  }
}
