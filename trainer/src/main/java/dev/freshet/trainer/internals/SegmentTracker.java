package dev.freshet.trainer.internals;

import dev.freshet.avro.InputSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The input records a trainer applied since its last snapshot, as ordered segments of offsets. A
 * record on the same partition as the previous one extends its segment even across an offset gap:
 * gaps are transaction markers or aborted records, which a {@code read_committed} replay skips the
 * same way. Not thread-safe.
 */
public final class SegmentTracker {

  private List<InputSegment> segments = new ArrayList<>();

  /**
   * Notes that the record at {@code offset} of {@code topic}-{@code partition} was applied next.
   */
  public void add(String topic, int partition, long offset) {
    if (!segments.isEmpty()) {
      InputSegment last = segments.get(segments.size() - 1);
      if (last.getPartition() == partition && last.getTopic().equals(topic)) {
        if (offset < last.getToOffset()) {
          throw new IllegalArgumentException(
              "offset "
                  + offset
                  + " of "
                  + topic
                  + "-"
                  + partition
                  + " goes back before "
                  + last.getToOffset());
        }
        last.setToOffset(offset + 1);
        return;
      }
    }
    segments.add(new InputSegment(topic, partition, offset, offset + 1));
  }

  /** Whether nothing was added since the last drain. */
  public boolean isEmpty() {
    return segments.isEmpty();
  }

  /** The segments since the last drain, and starts afresh. */
  public List<InputSegment> drain() {
    List<InputSegment> out = segments;
    segments = new ArrayList<>();
    return out;
  }
}
