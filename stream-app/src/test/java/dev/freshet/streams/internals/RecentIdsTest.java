package dev.freshet.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

  private static ByteBuffer add(ByteBuffer packed, String id, long time, long oldest, int max) {
    return RecentIds.add(packed, RecentIds.utf8(id), time, oldest, max);
  }

  @Test
  void shouldFindTheIdsAddedAndNoOthers() {
    ByteBuffer p = add(null, "e1", 1000, 0, 10);
    p = add(p, "e22", 2000, 0, 10);
    p = add(p, "é3", 3000, 0, 10);
    assertThat(RecentIds.size(p)).isEqualTo(3);
    assertThat(RecentIds.contains(p, RecentIds.utf8("e1"))).isTrue();
    assertThat(RecentIds.contains(p, RecentIds.utf8("e22"))).isTrue();
    assertThat(RecentIds.contains(p, RecentIds.utf8("é3"))).isTrue();
    assertThat(RecentIds.contains(p, RecentIds.utf8("e2"))).as("a prefix is not the id").isFalse();
    assertThat(RecentIds.contains(p, RecentIds.utf8("e3"))).isFalse();
    assertThat(RecentIds.contains(null, RecentIds.utf8("e1"))).isFalse();
    assertThat(RecentIds.contains(ByteBuffer.allocate(0), RecentIds.utf8("e1"))).isFalse();
  }

  @Test
  void shouldForgetIdsOlderThanTheOldestTimeKept() {
    ByteBuffer p = add(null, "old", 1000, 0, 10);
    p = add(p, "mid", 5000, 0, 10);
    p = add(p, "new", 9000, 5000, 10); // keeps times >= 5000
    assertThat(RecentIds.contains(p, RecentIds.utf8("old"))).isFalse();
    assertThat(RecentIds.contains(p, RecentIds.utf8("mid"))).isTrue();
    assertThat(RecentIds.contains(p, RecentIds.utf8("new"))).isTrue();
  }

  @Test
  void shouldKeepAtMostMaxIdsTheNewestOnes() {
    ByteBuffer p = null;
    for (int i = 0; i < 7; i++) {
      p = add(p, "e" + i, 1000 + i, 0, 3);
    }
    assertThat(RecentIds.size(p)).isEqualTo(3);
    assertThat(RecentIds.contains(p, RecentIds.utf8("e3"))).isFalse();
    assertThat(RecentIds.contains(p, RecentIds.utf8("e4"))).isTrue();
    assertThat(RecentIds.contains(p, RecentIds.utf8("e6"))).isTrue();
  }

  @Test
  void shouldReadAWrappedSliceAndLeaveItsInputUnchanged() {
    ByteBuffer p = add(add(null, "a", 1, 0, 10), "b", 2, 0, 10);
    byte[] framed = new byte[p.remaining() + 6];
    p.duplicate().get(framed, 3, p.remaining());
    ByteBuffer slice = ByteBuffer.wrap(framed, 3, p.remaining()).slice();
    ByteBuffer before = slice.duplicate();
    ByteBuffer next = add(slice, "c", 3, 0, 10);
    assertThat(slice).isEqualTo(before);
    assertThat(RecentIds.size(next)).isEqualTo(3);
    assertThat(RecentIds.contains(next, RecentIds.utf8("a"))).isTrue();
    assertThat(RecentIds.contains(next, RecentIds.utf8("c"))).isTrue();
  }

  @Test
  void shouldKeepTimesExactlyAcrossOutOfOrderAndDistantEntries() {
    ByteBuffer p = add(null, "a", 1_800_000_000_000L, 0, 10);
    p = add(p, "b", 1_799_999_990_000L, 0, 10); // 10 s earlier: a negative difference
    p = add(p, "c", 1_800_000_600_000L, 1_799_999_990_000L, 10);
    assertThat(RecentIds.size(p)).isEqualTo(3);
    // Pruning by the decoded times: b is the oldest, then a.
    ByteBuffer q = add(p, "d", 1_800_000_600_001L, 1_799_999_990_001L, 10);
    assertThat(RecentIds.contains(q, RecentIds.utf8("b"))).isFalse();
    assertThat(RecentIds.contains(q, RecentIds.utf8("a"))).isTrue();
    ByteBuffer r = add(q, "e", 1_800_000_600_002L, 1_800_000_000_001L, 10);
    assertThat(RecentIds.contains(r, RecentIds.utf8("a"))).isFalse();
    assertThat(RecentIds.contains(r, RecentIds.utf8("c"))).isTrue();
    assertThat(RecentIds.size(r)).isEqualTo(3);
  }

  @Test
  void shouldPackAShortIdAFewSecondsAfterTheLastInElevenBytes() {
    ByteBuffer p = add(null, "e0000001", 1_800_000_000_000L, 0, 10);
    int first = p.remaining();
    ByteBuffer q = add(p, "e0000002", 1_800_000_003_000L, 0, 10);
    assertThat(q.remaining() - first).isEqualTo(11);
  }

  @Test
  void shouldSayWhenThePackedBytesAreCorrupt() {
    ByteBuffer p = add(null, "abcdef", 1000, 0, 10);
    ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(p.array(), p.remaining() - 2));
    assertThatThrownBy(() -> RecentIds.contains(cut, RecentIds.utf8("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupt recentEventIds");
  }
}
