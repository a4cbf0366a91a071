package dev.freshet.bench.pipeline;

import dev.freshet.avro.ClickEvent;
import dev.freshet.serde.AvroClassTrust;
import dev.freshet.streams.FreshetTopology;
import dev.freshet.streams.StreamApp;
import dev.freshet.streams.StreamAppConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * State per user of the stream app (issue 14): for each history window, every user clicks the
 * window plus ten times through the real topology (exactly-once, embedded broker), so every history
 * is full and holds a last list; then the app is closed (RocksDB flushed) and the harness reports,
 * per store, the bytes on disk per user and, from the changelog, the size of each key's newest
 * record (what a compacted changelog keeps, and what a restore reads).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.freshet.bench.pipeline.StatePerUserHarness \
 *     users=2000 windows=20,50
 * </pre>
 *
 * Ids are the load generator's ({@code u123}, {@code v4567}, 3 tags of {@code t12}); longer ids
 * grow the history by their extra characters per click.
 */
public final class StatePerUserHarness {

  private StatePerUserHarness() {}

  public static void main(String[] args) throws Exception {
    AvroClassTrust.install();
    Map<String, String> a = Args.parse(args);
    int users = Args.intArg(a, "users", 2_000);
    int items = Args.intArg(a, "items", 20_000);
    List<Integer> windows = new ArrayList<>();
    for (String w : a.getOrDefault("windows", "20,50").split(",")) {
      windows.add(Integer.parseInt(w.trim()));
    }
    System.out.printf(
        "settings: users=%d items=%d windows=%s, each user clicks window + 10 times,"
            + " exactly_once_v2, 2 partitions, no model (popularity lists)%n",
        users, items, windows);
    try (BenchCluster cluster = BenchCluster.start("inline")) {
      Map<String, Object> serde = Map.of("schema.registry.url", cluster.registryUrl());
      for (int w : windows) {
        String in = "clicks-w" + w;
        for (String t : List.of(in, "dlq-w" + w, "inst-w" + w, "uv-w" + w, "recs-w" + w)) {
          cluster.topic(t, 2, false);
        }
        cluster.topic("params-w" + w, 1, true);
        int perUser = w + 10;
        List<ClickEvent> load =
            StreamAppHarness.clicks(users * perUser, users, items, w, System.currentTimeMillis());
        // Every user exactly perUser clicks: user of click i is i mod users.
        for (int i = 0; i < load.size(); i++) {
          load.get(i).setUserId("u" + (i % users));
        }
        String appId = "state-w" + w;
        Map<String, Object> c =
            StreamAppHarness.appConfig(cluster, appId, in, StreamsConfig.EXACTLY_ONCE_V2);
        c.put(StreamAppConfig.HISTORY_SIZE, Integer.toString(w));
        c.put(StreamAppConfig.TOPIC_CLICKS_DLQ, "dlq-w" + w);
        c.put(StreamAppConfig.TOPIC_TRAINING_INSTANCES, "inst-w" + w);
        c.put(StreamAppConfig.TOPIC_USER_VECTORS, "uv-w" + w);
        c.put(StreamAppConfig.TOPIC_RECOMMENDATIONS, "recs-w" + w);
        c.put(StreamAppConfig.TOPIC_MODEL_PARAMS, "params-w" + w);
        Path stateDir = Path.of((String) c.get(StreamAppConfig.STATE_DIR));
        try (StreamApp app = StreamApp.start(new StreamAppConfig(c))) {
          StreamAppHarness.produce(cluster, serde, in, load);
          awaitRecords(cluster, "recs-w" + w, load.size());
        }
        System.out.printf("window %d (%d clicks):%n", w, load.size());
        for (String store :
            List.of(
                FreshetTopology.HISTORY_STORE,
                FreshetTopology.LAST_LIST_STORE,
                FreshetTopology.PENDING_STORE)) {
          long[] disk = rocksDbBytes(stateDir.resolve(appId), store);
          TopicBytes log = TopicBytes.read(cluster, appId + "-" + store + "-changelog");
          System.out.printf(
              "  %-14s RocksDB SST %,d bytes as left (%,.0f bytes/user), %,d after a full"
                  + " compaction (%,.0f bytes/user); changelog: %,d keys, newest record per key"
                  + " %,.0f bytes/user (%,.0f bytes per key), %,d bytes of records in the log%n",
              store,
              disk[0],
              disk[0] / (double) users,
              disk[1],
              disk[1] / (double) users,
              log.liveKeys(),
              log.newestBytes() / (double) users,
              log.liveKeys() == 0 ? 0.0 : log.newestBytes() / (double) log.liveKeys(),
              log.keyBytes() + log.valueBytes());
        }
      }
    }
  }

  /**
   * The store's RocksDB databases under every task ({@code rocksdb/STORE} for a key-value store,
   * {@code STORE/STORE.SEGMENT} for each segment of a window store).
   */
  private static List<Path> databases(Path appDir, String store) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(appDir)) {
      return out;
    }
    try (Stream<Path> dirs = Files.walk(appDir)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!Files.isDirectory(d)) {
          continue;
        }
        String name = d.getFileName().toString();
        String parent = d.getParent().getFileName().toString();
        if ((name.equals(store) && parent.equals("rocksdb"))
            || (parent.equals(store) && name.startsWith(store + "."))) {
          out.add(d);
        }
      }
    }
    return out;
  }

  /** Bytes of the SST files of {@code dbs}. */
  private static long sstBytes(List<Path> dbs) throws IOException {
    long sum = 0;
    for (Path db : dbs) {
      try (Stream<Path> files = Files.list(db)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (f.getFileName().toString().endsWith(".sst")) {
            sum += Files.size(f);
          }
        }
      }
    }
    return sum;
  }

  /**
   * SST bytes as the app left them, and after a full compaction of each database (overwritten
   * versions and deletions dropped: what the state settles to).
   */
  private static long[] rocksDbBytes(Path appDir, String store) throws Exception {
    List<Path> dbs = databases(appDir, store);
    long before = sstBytes(dbs);
    org.rocksdb.RocksDB.loadLibrary();
    for (Path db : dbs) {
      // Kafka Streams' stores keep more than the default column family (offsets, timestamps):
      // RocksDB opens a database only with all of them.
      List<byte[]> names;
      try (org.rocksdb.Options o = new org.rocksdb.Options()) {
        names = org.rocksdb.RocksDB.listColumnFamilies(o, db.toString());
      }
      // Compacted as Kafka Streams writes them: without compression.
      org.rocksdb.ColumnFamilyOptions cf =
          new org.rocksdb.ColumnFamilyOptions()
              .setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION);
      List<org.rocksdb.ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (byte[] name : names) {
        descriptors.add(new org.rocksdb.ColumnFamilyDescriptor(name, cf));
      }
      List<org.rocksdb.ColumnFamilyHandle> handles = new ArrayList<>();
      try (org.rocksdb.DBOptions o = new org.rocksdb.DBOptions();
          org.rocksdb.RocksDB r =
              org.rocksdb.RocksDB.open(o, db.toString(), descriptors, handles)) {
        // kForce: a lone file is rewritten too (RocksDB would otherwise move it down as it is,
        // deletions and all).
        try (org.rocksdb.CompactRangeOptions force =
            new org.rocksdb.CompactRangeOptions()
                .setBottommostLevelCompaction(
                    org.rocksdb.CompactRangeOptions.BottommostLevelCompaction.kForce)) {
          for (org.rocksdb.ColumnFamilyHandle h : handles) {
            r.compactRange(h, null, null, force);
          }
        }
        handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
      } finally {
        cf.close();
      }
    }
    return new long[] {before, sstBytes(dbs)};
  }

  private static void awaitRecords(BenchCluster cluster, String topic, int n) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = TopicBytes.partitions(consumer, topic);
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long seen = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
      while (seen < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("only " + seen + " of " + n + " on " + topic);
        }
        seen += consumer.poll(Duration.ofMillis(200)).count();
      }
    }
  }
}
