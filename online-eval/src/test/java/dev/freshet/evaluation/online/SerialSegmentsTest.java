package dev.freshet.evaluation.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.data.ClickEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class SerialSegmentsTest {

  private static List<ClickEvent> log(int clicks, int users) {
    Random r = new Random(3);
    List<ClickEvent> out = new ArrayList<>();
    for (int t = 0; t < clicks; t++) {
      String user = "u" + r.nextInt(users);
      out.add(
          new ClickEvent(
              user, null, null, null, "i" + r.nextInt(40), null, List.of(), t, user + "#" + t));
    }
    return out;
  }

  @Test
  void shouldPartitionAUserAsKafkasProducerDoesForItsKey() {
    for (int partitions : new int[] {1, 2, 3, 4, 7}) {
      for (int u = 0; u < 200; u++) {
        String user = "user-" + u;
        assertThat(SerialSegments.partition(user, partitions))
            .as(user + " of " + partitions)
            .isEqualTo(
                BuiltInPartitioner.partitionForKey(
                    user.getBytes(StandardCharsets.UTF_8), partitions));
      }
    }
  }

  @Test
  void shouldCutTheUsualLockstepIntoConsecutiveSegments() {
    List<ClickEvent> clicks = log(70, 9);

    SerialSegments s = SerialSegments.consecutive(clicks, 16);

    assertThat(s.clicks()).isEqualTo(clicks);
    assertThat(s.ends()).containsExactly(16, 32, 48, 64, 70);
  }

  @Test
  void shouldSendEachSegmentOnePartitionAtATimeKeepingEveryUsersOrder() {
    List<ClickEvent> clicks = log(203, 25);
    int segment = 32;
    int partitions = 3;

    SerialSegments s = SerialSegments.byPartition(clicks, segment, partitions);

    assertThat(s.clicks()).containsExactlyInAnyOrderElementsOf(clicks);
    assertThat(s.ends().get(s.ends().size() - 1)).isEqualTo(clicks.size());
    int from = 0;
    int lastPartition = -1;
    int segmentStart = 0;
    for (int end : s.ends()) {
      assertThat(end).isGreaterThan(from);
      List<ClickEvent> part = s.clicks().subList(from, end);
      int p = SerialSegments.partition(part.get(0).userId(), partitions);
      assertThat(part).allMatch(c -> SerialSegments.partition(c.userId(), partitions) == p);
      // Within one segment of the log, parts come in partition order; a new segment starts over.
      int segmentOfPart = (int) (part.get(0).eventTimeMillis() / segment);
      assertThat(part).allMatch(c -> c.eventTimeMillis() / segment == segmentOfPart);
      if (segmentOfPart * segment != segmentStart) {
        segmentStart = segmentOfPart * segment;
        lastPartition = -1;
      }
      assertThat(p).isGreaterThan(lastPartition);
      lastPartition = p;
      for (int i = 1; i < part.size(); i++) {
        assertThat(part.get(i).eventTimeMillis()).isGreaterThan(part.get(i - 1).eventTimeMillis());
      }
      from = end;
    }
    // Segments are not mixed: the first k segments' clicks come first, whatever their parts.
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < s.clicks().size(); i++) {
      sent.add(s.clicks().get(i).eventId());
      if ((i + 1) % segment == 0) {
        Set<String> expected = new HashSet<>();
        clicks.subList(0, i + 1).forEach(c -> expected.add(c.eventId()));
        assertThat(sent).isEqualTo(expected);
      }
    }
  }
}
