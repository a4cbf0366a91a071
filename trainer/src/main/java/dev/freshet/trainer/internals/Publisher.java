package dev.freshet.trainer.internals;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits the trainer's publications on a thread of its own, one at a time, so the training thread
 * goes on with the next batches while a snapshot's transaction is flushed and committed.
 *
 * <p>A publication is complete when it is handed over: its records hold copies of the model's
 * values as they were at that moment (they may be serialized here, off the training thread), and it
 * carries the consumer offsets and group metadata taken then. So what one transaction holds is
 * exactly what it held when the trainer published on its own thread, and the guarantees do not
 * change: each transaction commits a snapshot together with the offsets of the instances it
 * reflects, or nothing. At most one publication is in flight; handing over the next waits for it. A
 * failed commit is thrown on the training thread by the next {@link #submit}, {@link #await} or
 * {@link #rethrowIfFailed}, as the Kafka exception itself, so the trainer treats it as it treated a
 * failure of its own commit.
 *
 * <p>The producer is used by this thread only while a publication is in flight; after {@link
 * #await} the caller may use it (a rollback does).
 */
public final class Publisher implements AutoCloseable {

  /**
   * One snapshot's transaction.
   *
   * @param records makes the parameter deltas, item vectors, manifest and dead letters, in order;
   *     called once, on the publishing thread, before the transaction begins (so a record that
   *     cannot be serialized fails the publication with nothing sent)
   * @param offsets the consumer offsets to commit with them (may be empty)
   * @param group the consumer's group metadata when the offsets were taken
   * @param onCommitted called on the publishing thread after the commit, with its duration in ns
   */
  public record Publication(
      Supplier<List<ProducerRecord<String, byte[]>>> records,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      ConsumerGroupMetadata group,
      LongConsumer onCommitted) {
    public Publication {
      Objects.requireNonNull(records, "records");
      offsets = Map.copyOf(offsets);
      Objects.requireNonNull(onCommitted, "onCommitted");
    }

    /** A publication of records made already. */
    public Publication(
        List<ProducerRecord<String, byte[]>> records,
        Map<TopicPartition, OffsetAndMetadata> offsets,
        ConsumerGroupMetadata group,
        LongConsumer onCommitted) {
      this(supplierOf(List.copyOf(records)), offsets, group, onCommitted);
    }

    private static Supplier<List<ProducerRecord<String, byte[]>>> supplierOf(
        List<ProducerRecord<String, byte[]>> records) {
      return () -> records;
    }
  }

  private final Producer<String, byte[]> producer;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "freshet-trainer-publisher");
            t.setDaemon(true);
            return t;
          });
  private Future<?> inFlight;

  /**
   * @param producer a transactional producer whose transactions were initialised
   */
  public Publisher(Producer<String, byte[]> producer) {
    this.producer = Objects.requireNonNull(producer, "producer");
  }

  /** Hands {@code p} over once the publication in flight has committed. */
  public void submit(Publication p) {
    await();
    inFlight =
        thread.submit(
            () -> {
              long t0 = System.nanoTime();
              List<ProducerRecord<String, byte[]>> records = p.records().get();
              producer.beginTransaction();
              for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r);
              }
              if (!p.offsets().isEmpty()) {
                producer.sendOffsetsToTransaction(p.offsets(), p.group());
              }
              producer.commitTransaction();
              p.onCommitted().accept(System.nanoTime() - t0);
            });
  }

  /** Whether a publication is in flight (handed over and not yet known to have committed). */
  public boolean busy() {
    return inFlight != null && !inFlight.isDone();
  }

  /** Waits until the publication in flight has committed; throws what made it fail. */
  public void await() {
    Future<?> f = inFlight;
    if (f == null) {
      return;
    }
    try {
      f.get();
      inFlight = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    } catch (ExecutionException e) {
      inFlight = null;
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("publication failed", cause);
    }
  }

  /** Throws what made the publication in flight fail, if it has failed; does not wait. */
  public void rethrowIfFailed() {
    if (inFlight != null && inFlight.isDone()) {
      await();
    }
  }

  /** Stops the thread; a publication in flight is abandoned (its transaction never commits). */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
