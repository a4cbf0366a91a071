package dev.freshet.cli.demo;

import dev.freshet.data.ClickEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a time-ordered click list onto the wall clock: click {@code i} is sent at {@code start +
 * offset(i)}, where the offsets keep the source's order and relative spacing, compressed so that
 * the average rate is the requested one. A gap longer than {@code maxGap} after compression is cut
 * to {@code maxGap} (MovieLens has years between some ratings), and the compression is solved with
 * the cut in place, so the average rate still holds. Each click goes out with its event time set to
 * the moment it is sent, so freshness downstream is measured against the real clock.
 *
 * <p>Rate 0 sends as fast as the producer accepts.
 */
final class ClickFeeder implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ClickFeeder.class);

  /** Hears about every click right after it was handed to the producer (feeder thread). */
  @FunctionalInterface
  interface Listener {
    void sent(ClickEvent click, long sentAtMillis);
  }

  private final List<ClickEvent> clicks;
  private final double[] offsetsMs;
  private final Producer<String, dev.freshet.avro.ClickEvent> producer;
  private final String topic;
  private final Listener listener;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile boolean exhausted;

  ClickFeeder(
      List<ClickEvent> clicks,
      double rate,
      long maxGapMs,
      Producer<String, dev.freshet.avro.ClickEvent> producer,
      String topic,
      Listener listener) {
    this.clicks = List.copyOf(clicks);
    this.offsetsMs = schedule(this.clicks, rate, maxGapMs);
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Wall-clock offsets (ms from the first click) for {@code clicks} at {@code rate} per second on
   * average, or all zeros for rate 0.
   */
  static double[] schedule(List<ClickEvent> clicks, double rate, long maxGapMs) {
    int n = clicks.size();
    double[] out = new double[n];
    if (n < 2 || rate <= 0) {
      return out;
    }
    double total = (n - 1) / rate * 1000.0;
    double cap = Math.max(maxGapMs, 4 * total / (n - 1));
    double[] gaps = new double[n];
    long nonZero = 0;
    double sum = 0;
    for (int i = 1; i < n; i++) {
      gaps[i] = Math.max(0, clicks.get(i).eventTimeMillis() - clicks.get(i - 1).eventTimeMillis());
      if (gaps[i] > 0) {
        nonZero++;
      }
      sum += gaps[i];
    }
    if (sum == 0 || nonZero * cap < total) {
      for (int i = 0; i < n; i++) {
        out[i] = i * total / (n - 1);
      }
      return out;
    }
    double lo = 0;
    double hi = total / sum;
    while (compressed(gaps, hi, cap) < total) {
      hi *= 2;
    }
    for (int iter = 0; iter < 100; iter++) {
      double mid = (lo + hi) / 2;
      if (compressed(gaps, mid, cap) < total) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double t = 0;
    for (int i = 1; i < n; i++) {
      t += Math.min(gaps[i] * hi, cap);
      out[i] = t;
    }
    return out;
  }

  private static double compressed(double[] gaps, double scale, double cap) {
    double t = 0;
    for (int i = 1; i < gaps.length; i++) {
      t += Math.min(gaps[i] * scale, cap);
    }
    return t;
  }

  @Override
  public void run() {
    try {
      long start = System.nanoTime();
      for (int i = 0; i < clicks.size() && !stopping; i++) {
        long due = start + (long) (offsetsMs[i] * 1e6);
        for (long wait = due - System.nanoTime(); wait > 0 && !stopping; ) {
          LockSupport.parkNanos(Math.min(wait, 100_000_000L));
          wait = due - System.nanoTime();
        }
        if (stopping) {
          break;
        }
        ClickEvent c = clicks.get(i);
        long now = System.currentTimeMillis();
        producer.send(
            new ProducerRecord<>(topic, null, now, c.userId(), toAvro(c, now)),
            (meta, e) -> {
              if (e != null) {
                failed.incrementAndGet();
                log.warn("click {} was not written: {}", c.eventId(), e.toString());
              }
            });
        sent.incrementAndGet();
        listener.sent(c, now);
      }
      producer.flush();
      exhausted = !stopping;
    } finally {
      done.countDown();
    }
  }

  /** Asks the loop to stop and waits for it (at most {@code timeoutMs}). */
  void stop(long timeoutMs) throws InterruptedException {
    stopping = true;
    if (!done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
      log.warn("click feeder did not stop within {} ms", timeoutMs);
    }
  }

  /** Clicks handed to the producer. */
  long sent() {
    return sent.get();
  }

  /** Clicks the producer reported as failed. */
  long failed() {
    return failed.get();
  }

  /** Clicks in the source. */
  int total() {
    return clicks.size();
  }

  /** Whether every click of the source has been sent. */
  boolean exhausted() {
    return exhausted;
  }

  static dev.freshet.avro.ClickEvent toAvro(ClickEvent c, long eventTimeMillis) {
    return dev.freshet.avro.ClickEvent.newBuilder()
        .setEventId(c.eventId())
        .setUserId(c.userId())
        .setVideoId(c.videoId())
        .setEventTime(Instant.ofEpochMilli(eventTimeMillis))
        .setProvince(c.province())
        .setCity(c.city())
        .setPhone(c.phone())
        .setCategory(c.category())
        .setTags(List.copyOf(c.tags()))
        .setSearchTokens(List.copyOf(c.searchTokens()))
        .build();
  }
}
