package dev.freshet.streams.internals;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde whose serializer hands back the bytes it made last, on the same thread, when it is given
 * the very same object again (identity, not equality), instead of encoding it a second time.
 *
 * <p>The topology gives one instance to two stores: {@code user-history} and {@code
 * pending-scores}. A click's updated history is put into the first by {@link HistoryUpdater} and,
 * the same object, into the second by {@link Recommender} right after, on the same stream thread;
 * the second put costs no encoding. The bytes are the Confluent wire format with the schema id
 * registered for the first store's changelog subject, and read back by that id, so they are valid
 * in either store.
 *
 * <p>Safe because the values put are never changed after they are written (the stream app builds a
 * new history for every click) and the byte arrays are never changed by Kafka Streams (its cache,
 * RocksDB and the changelog producer copy or only read them). One slot per thread, so stream
 * threads sharing this serde through the store builders do not see each other's values.
 * Deserialization is the inner serde's, untouched.
 */
public final class LastEncodedSerde<T> implements Serde<T> {

  private static final class Slot {
    Object value;
    byte[] bytes;
  }

  private final Serde<T> inner;
  private final ThreadLocal<Slot> last = ThreadLocal.withInitial(Slot::new);
  private final Serializer<T> serializer;

  public LastEncodedSerde(Serde<T> inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
    Serializer<T> encode = inner.serializer();
    this.serializer =
        new Serializer<>() {
          @Override
          public byte[] serialize(String topic, T data) {
            if (data == null) {
              return null;
            }
            Slot slot = last.get();
            if (slot.value == data) {
              return slot.bytes;
            }
            byte[] bytes = encode.serialize(topic, data);
            slot.value = data;
            slot.bytes = bytes;
            return bytes;
          }

          @Override
          public void close() {
            encode.close();
          }
        };
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return inner.deserializer();
  }

  @Override
  public void close() {
    inner.close();
  }
}
