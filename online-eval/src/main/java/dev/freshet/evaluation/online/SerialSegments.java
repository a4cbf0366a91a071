package dev.freshet.evaluation.online;

import dev.freshet.data.ClickEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;

/**
 * The replay's segments when the partitions of {@code training-instances} take turns: each segment
 * of the log is split by the partition its users' training instances go to (Kafka's partition of
 * the user id, as the stream app's producer computes it), and the parts are sent one after the
 * other in partition order, each in event-time order. Every user's clicks keep their order, since a
 * user's clicks all go to one partition.
 *
 * <p>With one partition per trainer, the trainers then never train in parallel from the same model:
 * each part is trained by one trainer and served before the next part is sent. This separates what
 * several trainers lose by stepping in parallel from what the rest of their machinery (replicas,
 * merges, each replica's optimizer state) loses.
 *
 * @param clicks the clicks in the order they are sent
 * @param ends each part's end index (exclusive) in {@code clicks}, ascending; the last is {@code
 *     clicks.size()}
 */
record SerialSegments(List<ClickEvent> clicks, List<Integer> ends) {

  /** Consecutive segments of {@code segment} clicks, in the log's order: the usual lockstep. */
  static SerialSegments consecutive(List<ClickEvent> clicks, int segment) {
    List<Integer> ends = new ArrayList<>();
    for (int from = 0; from < clicks.size(); from += segment) {
      ends.add(Math.min(clicks.size(), from + segment));
    }
    return new SerialSegments(clicks, List.copyOf(ends));
  }

  /**
   * Each segment of {@code segment} clicks split into its {@code partitions} parts (empty parts
   * left out), in partition order.
   */
  static SerialSegments byPartition(List<ClickEvent> clicks, int segment, int partitions) {
    List<ClickEvent> out = new ArrayList<>(clicks.size());
    List<Integer> ends = new ArrayList<>();
    for (int from = 0; from < clicks.size(); from += segment) {
      List<List<ClickEvent>> parts = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        parts.add(new ArrayList<>());
      }
      for (ClickEvent c : clicks.subList(from, Math.min(clicks.size(), from + segment))) {
        parts.get(partition(c.userId(), partitions)).add(c);
      }
      for (List<ClickEvent> part : parts) {
        if (!part.isEmpty()) {
          out.addAll(part);
          ends.add(out.size());
        }
      }
    }
    return new SerialSegments(List.copyOf(out), List.copyOf(ends));
  }

  /** The partition Kafka's default partitioner gives a record keyed by {@code userId}. */
  static int partition(String userId, int partitions) {
    return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
