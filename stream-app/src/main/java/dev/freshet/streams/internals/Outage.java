package dev.freshet.streams.internals;

import dev.freshet.registry.RegistryException;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortedException;

/**
 * A failure of a stream thread that an outage explains, so retrying later may succeed: the schema
 * registry unreachable (transport error or 5xx after the client's retries); a Kafka error that
 * Kafka itself calls retriable (a broker or coordinator not available, a timeout), which can still
 * end a stream thread when a broker restarts under it; or an open transaction Kafka ended under the
 * producer ({@code InvalidTxnStateException}, {@code InvalidProducerEpochException}, {@code
 * TransactionAbortedException}): when a broker is away for longer than {@code
 * transaction.timeout.ms} (3 s by default here, for fast failover) its coordinator aborts the
 * transaction, and the commit that follows fails. Under exactly-once the aborted work is redone
 * from the last commit, so nothing is lost or doubled (PipelineFaultScheduleIT). Anything else is
 * not an outage.
 *
 * @param what what was unavailable, for the log line: {@value #REGISTRY} or {@value #KAFKA}
 * @param cause the failure in the chain that says so
 */
public record Outage(String what, Throwable cause) {

  /** {@link #what()} of a registry outage. */
  public static final String REGISTRY = "schema registry unreachable";

  /** {@link #what()} of a Kafka outage. */
  public static final String KAFKA = "Kafka unavailable";

  /** {@link #what()} of a transaction Kafka ended. */
  public static final String TRANSACTION =
      "Kafka ended the open transaction (a broker was away longer than transaction.timeout.ms)";

  public Outage {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(cause, "cause");
  }

  /**
   * The outage behind {@code failure}, if its chain of causes shows one. A registry failure decides
   * alone: when its first registry failure was an answer (schema not found, refused credentials),
   * it is no outage whatever else the chain holds.
   */
  public static Optional<Outage> in(Throwable failure) {
    boolean registryAnswer = false;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RegistryException r) {
        if (r.isUnavailable()) {
          return Optional.of(new Outage(REGISTRY, r));
        }
        registryAnswer = true;
        break;
      }
    }
    if (registryAnswer) {
      return Optional.empty();
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RetriableException) {
        return Optional.of(new Outage(KAFKA, t));
      }
      if (t instanceof InvalidTxnStateException
          || t instanceof InvalidProducerEpochException
          || t instanceof TransactionAbortedException) {
        return Optional.of(new Outage(TRANSACTION, t));
      }
    }
    return Optional.empty();
  }
}
