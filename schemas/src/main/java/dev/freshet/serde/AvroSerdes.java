package dev.freshet.serde;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Configured serdes in one call, each with its own registry client (closed when the serde is
 * closed). For many serdes over one registry, build one client with {@code
 * SchemaRegistryClients.create} and pass it to the serde constructors instead.
 */
public final class AvroSerdes {

  private AvroSerdes() {}

  /** A configured serde for generated class {@code type}, for keys ({@code isKey}) or values. */
  public static <T extends SpecificRecord> Serde<T> specific(
      Class<T> type, Map<String, ?> configs, boolean isKey) {
    Serde<T> serde = new SpecificAvroSerde<>(type);
    serde.configure(configs, isKey);
    return serde;
  }

  /** A configured serde for GenericRecords, for keys ({@code isKey}) or values. */
  public static Serde<GenericRecord> generic(Map<String, ?> configs, boolean isKey) {
    Serde<GenericRecord> serde = new GenericAvroSerde();
    serde.configure(configs, isKey);
    return serde;
  }

  /** A configured serde for the Avro primitive {@code type}, for keys ({@code isKey}) or values. */
  public static <T> Serde<T> primitive(Class<T> type, Map<String, ?> configs, boolean isKey) {
    Serde<T> serde = new PrimitiveAvroSerde<>(type);
    serde.configure(configs, isKey);
    return serde;
  }
}
