package dev.freshet.cli.ops;

import dev.freshet.avro.DenseParams;
import dev.freshet.avro.EmbeddingRow;
import dev.freshet.avro.ItemVector;
import dev.freshet.avro.ModelUpdate;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The published model of a parameter log, as the compacted topic holds it (the newest value per
 * key), in a canonical text form and as a SHA-256. Wall-clock fields ({@code createdAt}, {@code
 * updatedAt}) and the manifests' input segments (offsets in the instance log, which depend on where
 * transaction markers fell) are left out: what remains is what a model is — every parameter, and
 * the manifest's training counters. Two runs that published the same model have the same
 * fingerprint.
 *
 * @param entries canonical text per key, sorted by key
 * @param sha256 hex SHA-256 over the entries
 * @param version the newest manifest's version, or 0 when there is none
 */
public record ParamFingerprint(SortedMap<String, String> entries, String sha256, long version) {

  public ParamFingerprint {
    entries = new TreeMap<>(entries);
  }

  /** Reads {@code topic} (one partition, {@code read_committed}) to its end. */
  public static ParamFingerprint read(
      Consumer<String, byte[]> consumer, String topic, Deserializer<ModelUpdate> deserializer) {
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
    SortedMap<String, String> entries = new TreeMap<>();
    long version = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (consumer.position(tp) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + topic + " to its end in 2 minutes");
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.value() == null) {
          entries.remove(r.key());
          continue;
        }
        ModelUpdate u = deserializer.deserialize(topic, r.headers(), r.value());
        entries.put(r.key(), canonical(u.getPayload()));
        if (u.getPayload() instanceof SnapshotManifest m) {
          version = Math.max(version, m.getVersion());
        }
      }
    }
    return new ParamFingerprint(entries, sha256(entries), version);
  }

  static String canonical(Object payload) {
    StringBuilder out = new StringBuilder();
    if (payload instanceof EmbeddingRow r) {
      out.append("row ").append(r.getTable()).append(' ').append(r.getKey());
      out.append(" v").append(r.getModelVersion()).append(' ');
      floats(out, r.getValues());
    } else if (payload instanceof ItemVector v) {
      out.append("item ").append(v.getItemId()).append(" v").append(v.getModelVersion());
      out.append(' ');
      floats(out, v.getVector());
    } else if (payload instanceof DenseParams d) {
      out.append("dense v").append(d.getModelVersion());
      for (Tensor t : d.getTensors()) {
        ByteBuffer data = t.getData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        out.append(' ').append(t.getName()).append(t.getShape()).append('=');
        out.append(HexFormat.of().formatHex(digest(bytes)));
      }
    } else if (payload instanceof SnapshotManifest m) {
      out.append("manifest v")
          .append(m.getVersion())
          .append(" prev ")
          .append(m.getPreviousVersion())
          .append(" instances ")
          .append(m.getInstancesApplied())
          .append(" loss ")
          .append(
              m.getLoss() == null ? "null" : Long.toHexString(Double.doubleToLongBits(m.getLoss())))
          .append(" maxNorm ")
          .append(Integer.toHexString(Float.floatToIntBits(m.getMaxItemNorm())))
          .append(" items ")
          .append(m.getItemCount())
          .append(" batches ")
          .append(m.getBatchSizes())
          .append(" maxEventTime ")
          .append(m.getMaxEventTime())
          .append(" config ")
          .append(m.getModelConfig());
    } else {
      throw new IllegalArgumentException(
          "unknown parameter-log payload " + (payload == null ? "null" : payload.getClass()));
    }
    return out.toString();
  }

  private static void floats(StringBuilder out, List<Float> values) {
    for (Float f : values) {
      out.append(Integer.toHexString(Float.floatToIntBits(f))).append(',');
    }
  }

  private static String sha256(Map<String, String> entries) {
    StringBuilder all = new StringBuilder();
    entries.forEach((k, v) -> all.append(k).append('\t').append(v).append('\n'));
    return HexFormat.of().formatHex(digest(all.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
