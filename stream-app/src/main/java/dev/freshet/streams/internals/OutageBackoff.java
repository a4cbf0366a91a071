package dev.freshet.streams.internals;

import java.util.concurrent.TimeUnit;

/**
 * How long a stream thread that failed because of an outage ({@link Outage}: the schema registry
 * unreachable, Kafka unavailable) waits before it is replaced: 1 s, doubling with each failure that
 * follows within a minute of the last, up to 10 s. A minute without such a failure starts again at
 * 1 s. Without the wait a replaced thread fails again at once, for as long as the outage lasts,
 * restoring its tasks each time.
 */
public final class OutageBackoff {

  static final long FIRST_MILLIS = 1_000;
  static final long MAX_MILLIS = 10_000;
  static final long RESET_NANOS = TimeUnit.MINUTES.toNanos(1);

  private long last = Long.MIN_VALUE;
  private long wait;

  /** The wait for a failure at {@code nowNanos} ({@link System#nanoTime()}). */
  public synchronized long next(long nowNanos) {
    if (last == Long.MIN_VALUE || nowNanos - last > RESET_NANOS) {
      wait = FIRST_MILLIS;
    } else {
      wait = Math.min(wait * 2, MAX_MILLIS);
    }
    last = nowNanos;
    return wait;
  }
}
