package dev.freshet.trainer.internals;

import dev.freshet.registry.RegistryException;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Decides whether a failure of the trainer's loop is an outage it should wait out — the schema
 * registry unreachable, the broker restarting, a transaction the broker aborted — or a fault that
 * retrying cannot mend (fenced by another trainer, refused credentials or ACLs, a record too large,
 * a bug).
 *
 * <p>An outage is answered like a crash, without losing the process: the trainer drops what it has
 * not committed, waits, and recovers from the newest committed snapshot and offsets. That is the
 * same path a restarted process takes, so exactly-once holds.
 */
public final class TransientFailure {

  private TransientFailure() {}

  /** A one-line description of the outage behind {@code failure}, or empty if it is not one. */
  public static Optional<String> describe(Throwable failure) {
    Optional<RegistryException> registry = RegistryException.unavailableIn(failure);
    if (registry.isPresent()) {
      return Optional.of("schema registry unreachable (" + oneLine(registry.get()) + ")");
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RegistryException || isPermanent(t)) {
        return Optional.empty();
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KafkaException k) {
        return Optional.of("Kafka: " + oneLine(k));
      }
    }
    return Optional.empty();
  }

  private static boolean isPermanent(Throwable t) {
    return t instanceof ProducerFencedException
        || t instanceof FencedInstanceIdException
        || t instanceof AuthenticationException
        || t instanceof AuthorizationException
        || t instanceof UnsupportedVersionException
        || t instanceof RecordTooLargeException
        || t instanceof InvalidTopicException
        || t instanceof ConfigException
        || t instanceof SerializationException;
  }

  private static String oneLine(Throwable t) {
    String m = t.getClass().getSimpleName() + ": " + t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
