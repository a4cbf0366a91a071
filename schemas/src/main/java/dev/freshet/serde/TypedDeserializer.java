package dev.freshet.serde;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/** Narrows a {@link KafkaAvroDeserializer} to {@code T}; a datum of another type is an error. */
final class TypedDeserializer<T> implements Deserializer<T> {

  private final Class<T> type;
  private final KafkaAvroDeserializer inner;

  TypedDeserializer(Class<T> type, KafkaAvroDeserializer inner) {
    this.type = type;
    this.inner = inner;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  /**
   * @throws WireFormatException AVRO_DECODE_FAILED if the record decodes to something other than
   *     {@code T}, or for any failure of the inner deserializer
   */
  @Override
  public T deserialize(String topic, byte[] data) {
    Object datum = inner.deserialize(topic, data);
    if (datum == null || type.isInstance(datum)) {
      return type.cast(datum);
    }
    throw new WireFormatException(
        WireFormatException.Reason.AVRO_DECODE_FAILED,
        topic,
        WireFormatException.NO_SCHEMA_ID,
        "decoded a " + datum.getClass().getName() + ", expected a " + type.getName(),
        null);
  }

  @Override
  public void close() {
    inner.close();
  }
}
