package dev.freshet.streams.internals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The event ids of a user's recent clicks, packed into the bytes of one field of the user's history
 * ({@code UserHistory.recentEventIds}): deduplication without a store of its own.
 *
 * <p>Entries are kept in the order they were added, oldest first. Each is the click's event time as
 * a zigzag varint difference from the entry before it (from 0 for the first), the id's UTF-8 length
 * as a varint, and the id's UTF-8 bytes: 11 bytes for an 8-character id a few seconds after the
 * entry before it, where a fixed 8-byte time and 2-byte length would take 18. Packed bytes cost one
 * copy to encode and to decode, where a list of strings would cost an object per id per click.
 * {@link #contains} scans them, comparing lengths first; at the sizes kept (at most {@code maxIds}
 * entries) that is cheaper than any index.
 */
public final class RecentIds {

  private RecentIds() {}

  /** The UTF-8 bytes of {@code eventId}, as {@link #contains} and {@link #add} take it. */
  public static byte[] utf8(String eventId) {
    return eventId.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code packed} holds the id {@code id} (UTF-8). */
  public static boolean contains(ByteBuffer packed, byte[] id) {
    if (packed == null) {
      return false;
    }
    Reader r = new Reader(packed);
    while (r.next()) {
      if (r.len == id.length && Arrays.equals(r.b, r.idAt, r.idAt + r.len, id, 0, r.len)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code packed} with the id {@code id} (UTF-8) of a click at {@code eventTime} added, and
   * without the entries older than {@code oldest} (event time) or beyond the newest {@code maxIds}.
   */
  public static ByteBuffer add(
      ByteBuffer packed, byte[] id, long eventTime, long oldest, int maxIds) {
    if (maxIds < 1) {
      throw new IllegalArgumentException("maxIds must be >= 1, was " + maxIds);
    }
    // The entries kept are those in time, less the oldest of them beyond maxIds - 1: one pass
    // counts them (and bounds the output's size), a second writes them.
    int inTime = 0;
    int bound = 10 + 5 + id.length;
    if (packed != null) {
      for (Reader r = new Reader(packed); r.next(); ) {
        if (r.time >= oldest) {
          inTime++;
          bound += 10 + 5 + r.len; // a difference can grow when the entry before it is dropped
        }
      }
    }
    ByteBuffer out = ByteBuffer.allocate(bound);
    int skip = Math.max(0, inTime - (maxIds - 1));
    long previous = 0;
    if (packed != null) {
      for (Reader r = new Reader(packed); r.next(); ) {
        if (r.time >= oldest && skip-- <= 0) {
          putEntry(out, r.time - previous, r.b, r.idAt, r.len);
          previous = r.time;
        }
      }
    }
    putEntry(out, eventTime - previous, id, 0, id.length);
    return out.flip();
  }

  /** How many entries {@code packed} holds. */
  public static int size(ByteBuffer packed) {
    if (packed == null) {
      return 0;
    }
    Reader r = new Reader(packed);
    int n = 0;
    while (r.next()) {
      n++;
    }
    return n;
  }

  private static void putEntry(ByteBuffer out, long delta, byte[] src, int from, int len) {
    putVarint(out, (delta << 1) ^ (delta >> 63));
    putVarint(out, len);
    out.put(src, from, len);
  }

  private static void putVarint(ByteBuffer out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  /** Walks the entries of packed bytes, decoding each entry's time and where its id lies. */
  private static final class Reader {
    final byte[] b;
    private int i;
    private final int end;
    long time;
    int idAt;
    int len;

    Reader(ByteBuffer packed) {
      b = packed.array();
      i = packed.arrayOffset() + packed.position();
      end = packed.arrayOffset() + packed.limit();
    }

    boolean next() {
      if (i >= end) {
        return false;
      }
      long zz = varint();
      time += (zz >>> 1) ^ -(zz & 1);
      len = (int) varint();
      idAt = i;
      i += len;
      if (len < 0 || i > end) {
        throw new IllegalStateException("corrupt recentEventIds: an entry runs past the end");
      }
      return true;
    }

    private long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (i >= end) {
          throw new IllegalStateException("corrupt recentEventIds: a varint runs past the end");
        }
        byte x = b[i++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalStateException("corrupt recentEventIds: a varint longer than 10 bytes");
    }
  }
}
