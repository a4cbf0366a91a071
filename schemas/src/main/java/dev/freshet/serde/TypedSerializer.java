package dev.freshet.serde;

import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/** A {@link KafkaAvroSerializer} typed as {@code Serializer<T>}. */
final class TypedSerializer<T> implements Serializer<T> {

  private final KafkaAvroSerializer inner;

  TypedSerializer(KafkaAvroSerializer inner) {
    this.inner = inner;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return inner.serialize(topic, data);
  }

  @Override
  public void close() {
    inner.close();
  }
}
