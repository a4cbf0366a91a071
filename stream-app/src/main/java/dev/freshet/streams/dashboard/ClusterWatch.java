package dev.freshet.streams.dashboard;

import dev.freshet.serde.DeadLetterHeaders;
import dev.freshet.streams.ops.CommittedReader;
import dev.freshet.streams.ops.GroupLag;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the whole application looks like from Kafka, the same from every instance: the stream app's
 * and the trainer's consumer groups (state, members, lag as a {@code read_committed} reader counts
 * it) and dead letters by topic and reason over the last hour. {@link #look(long)} runs every few
 * seconds on the dashboard's thread; the dead letters are read incrementally by one group-less
 * consumer that stays open.
 *
 * <p>Needs Describe on both groups and Read on the dead-letter topics; where the cluster refuses,
 * the figure is missing and {@link #problems()} says why, and the rest still works. Thread-safe.
 */
public final class ClusterWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);

  /** Looks kept: ten minutes at one every five seconds. */
  static final int POINTS = 120;

  /** How far back dead letters are counted. */
  public static final Duration DLQ_WINDOW = Duration.ofHours(1);

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long MINUTE = 60_000;

  /**
   * One look.
   *
   * @param t epoch second
   * @param appLag records the stream app's group is behind (-1 unknown)
   * @param trainerLag records the trainer's group is behind (-1 unknown)
   */
  public record Point(long t, long appLag, long trainerLag) {}

  private final Admin admin;
  private final Map<String, Object> consumerConfig;
  private final String appGroup;
  private final String trainerGroup;
  private final List<String> deadLetterTopics;
  private final ArrayDeque<Point> points = new ArrayDeque<>();
  // minute (epoch ms / 60000) -> "topic reason" -> count
  private final TreeMap<Long, Map<String, Long>> deadLetters = new TreeMap<>();
  private KafkaConsumer<byte[], byte[]> dlqReader;
  private GroupLag.Group app;
  private GroupLag.Group trainer;
  private final Map<String, String> problems = new TreeMap<>();

  /**
   * @param admin an Admin client of the cluster (closed with this)
   * @param consumerConfig bootstrap servers and client security settings for reading
   * @param appGroup the stream app's {@code application.id}
   * @param trainerGroup the trainer's {@code group.id}
   * @param deadLetterTopics the topics whose dead letters are counted
   */
  public ClusterWatch(
      Admin admin,
      Map<String, Object> consumerConfig,
      String appGroup,
      String trainerGroup,
      List<String> deadLetterTopics) {
    this.admin = admin;
    this.consumerConfig = Map.copyOf(consumerConfig);
    this.appGroup = appGroup;
    this.trainerGroup = trainerGroup;
    this.deadLetterTopics = List.copyOf(deadLetterTopics);
  }

  /** Takes a look at epoch second {@code t}. */
  public void look(long t) {
    GroupLag.Group a = group(appGroup, "stream app");
    GroupLag.Group tr = group(trainerGroup, "trainer");
    readDeadLetters(t * 1000);
    synchronized (this) {
      app = a;
      trainer = tr;
      points.addLast(new Point(t, a == null ? -1 : a.lag(), tr == null ? -1 : tr.lag()));
      while (points.size() > POINTS) {
        points.removeFirst();
      }
    }
  }

  private GroupLag.Group group(String id, String role) {
    try {
      GroupLag.Group g = GroupLag.of(admin, consumerConfig, id, TIMEOUT);
      problem(role, null);
      return g;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      problem(role, "cannot look at group " + id + ": " + cause);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void readDeadLetters(long nowMillis) {
    try {
      if (dlqReader == null) {
        dlqReader = CommittedReader.open(consumerConfig);
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : deadLetterTopics) {
          dlqReader.partitionsFor(topic, TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .forEach(parts::add);
        }
        dlqReader.assign(parts);
        Map<TopicPartition, Long> query = new HashMap<>();
        parts.forEach(tp -> query.put(tp, nowMillis - DLQ_WINDOW.toMillis()));
        Map<TopicPartition, OffsetAndTimestamp> from = dlqReader.offsetsForTimes(query, TIMEOUT);
        Map<TopicPartition, Long> end = dlqReader.endOffsets(parts, TIMEOUT);
        for (TopicPartition tp : parts) {
          OffsetAndTimestamp o = from.get(tp);
          dlqReader.seek(tp, o == null ? end.get(tp) : o.offset());
        }
      }
      Map<TopicPartition, Long> end = dlqReader.endOffsets(dlqReader.assignment(), TIMEOUT);
      List<ConsumerRecord<byte[], byte[]>> records =
          CommittedReader.readTo(dlqReader, end, TIMEOUT);
      synchronized (this) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
          Header reason = r.headers().lastHeader(DeadLetterHeaders.REASON);
          String key =
              r.topic()
                  + " "
                  + (reason == null
                      ? "(no reason header)"
                      : new String(reason.value(), StandardCharsets.UTF_8));
          deadLetters
              .computeIfAbsent(r.timestamp() / MINUTE, m -> new TreeMap<>())
              .merge(key, 1L, Long::sum);
        }
        deadLetters.headMap((nowMillis - DLQ_WINDOW.toMillis()) / MINUTE).clear();
      }
      problem("dead letters", null);
    } catch (RuntimeException e) {
      problem("dead letters", "cannot read " + deadLetterTopics + ": " + e);
      if (dlqReader != null) {
        dlqReader.close();
        dlqReader = null;
      }
    }
  }

  private synchronized void problem(String what, String message) {
    if (message == null) {
      problems.remove(what);
    } else if (!message.equals(problems.put(what, message))) {
      log.warn("dashboard: {}", message);
    }
  }

  /** The looks since epoch second {@code since} (exclusive), oldest first. */
  public synchronized List<Point> points(long since) {
    return points.stream().filter(p -> p.t() > since).toList();
  }

  /** The stream app's group at the newest look, if it could be seen. */
  public synchronized Optional<GroupLag.Group> app() {
    return Optional.ofNullable(app);
  }

  /** The trainer's group at the newest look, if it could be seen. */
  public synchronized Optional<GroupLag.Group> trainer() {
    return Optional.ofNullable(trainer);
  }

  /**
   * Dead letters per topic and reason: {@code [count over the last hour, count over the last five
   * minutes]} before {@code nowMillis}, keyed {@code "topic reason"}.
   */
  public synchronized Map<String, long[]> deadLetters(long nowMillis) {
    Map<String, long[]> out = new TreeMap<>();
    long recent = (nowMillis - 5 * MINUTE) / MINUTE;
    deadLetters.forEach(
        (minute, counts) ->
            counts.forEach(
                (key, n) -> {
                  long[] c = out.computeIfAbsent(key, k -> new long[2]);
                  c[0] += n;
                  if (minute >= recent) {
                    c[1] += n;
                  }
                }));
    return out;
  }

  /** What could not be seen at the newest look, one line each. */
  public synchronized List<String> problems() {
    return List.copyOf(problems.values());
  }

  @Override
  public synchronized void close() {
    if (dlqReader != null) {
      dlqReader.close();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
