package dev.freshet.trainer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.registry.RegistryException;
import dev.freshet.serde.WireFormatException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class TransientFailureTest {

  private static final RegistryException REFUSED_CONNECTION =
      new RegistryException(
          RegistryException.NO_HTTP_STATUS, RegistryException.NO_ERROR_CODE, "refused");

  @Test
  void shouldWaitOutAnUnreachableRegistryBehindADeserializerOrSerializer() {
    WireFormatException read =
        new WireFormatException(
            WireFormatException.Reason.REGISTRY_UNAVAILABLE, "t", 6, "refused", REFUSED_CONNECTION);
    assertThat(TransientFailure.describe(read)).get().asString().contains("schema registry");
    assertThat(TransientFailure.describe(new SerializationException("no id", REFUSED_CONNECTION)))
        .get()
        .asString()
        .contains("schema registry");
  }

  @Test
  void shouldWaitOutABrokerThatDoesNotAnswerOrAbortedTheTransaction() {
    assertThat(TransientFailure.describe(new TimeoutException("commit timed out"))).isPresent();
    assertThat(TransientFailure.describe(new KafkaException("in an abortable error state")))
        .isPresent();
  }

  @Test
  void shouldNotRetryWhatWaitingCannotMend() {
    RegistryException incompatible =
        new RegistryException(409, RegistryException.INCOMPATIBLE_SCHEMA, "incompatible");
    assertThat(TransientFailure.describe(new SerializationException("no id", incompatible)))
        .isEmpty();
    assertThat(TransientFailure.describe(new ProducerFencedException("another trainer"))).isEmpty();
    assertThat(
            TransientFailure.describe(
                new KafkaException("send failed", new TopicAuthorizationException("denied"))))
        .isEmpty();
    assertThat(TransientFailure.describe(new IllegalStateException("a bug"))).isEmpty();
  }
}
