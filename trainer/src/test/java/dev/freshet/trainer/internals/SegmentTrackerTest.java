package dev.freshet.trainer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.InputSegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentTrackerTest {

  @Test
  void shouldExtendASegmentAcrossOffsetGapsOnTheSamePartition() {
    SegmentTracker t = new SegmentTracker();
    t.add("in", 0, 5);
    t.add("in", 0, 6);
    t.add("in", 0, 9); // 7-8 were transaction markers
    assertThat(t.drain()).containsExactly(new InputSegment("in", 0, 5L, 10L));
    assertThat(t.isEmpty()).isTrue();
  }

  @Test
  void shouldStartANewSegmentWhenThePartitionChangesAndKeepTheOrder() {
    SegmentTracker t = new SegmentTracker();
    t.add("in", 0, 1);
    t.add("in", 1, 7);
    t.add("in", 0, 2);
    List<InputSegment> s = t.drain();
    assertThat(s)
        .containsExactly(
            new InputSegment("in", 0, 1L, 2L),
            new InputSegment("in", 1, 7L, 8L),
            new InputSegment("in", 0, 2L, 3L));
  }

  @Test
  void shouldRefuseAnOffsetThatGoesBack() {
    SegmentTracker t = new SegmentTracker();
    t.add("in", 0, 5);
    assertThatThrownBy(() -> t.add("in", 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("goes back");
  }
}
