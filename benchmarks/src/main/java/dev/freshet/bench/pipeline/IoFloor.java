package dev.freshet.bench.pipeline;

import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The "I/O floor" of the stream app (issue 14): a Kafka Streams topology that reads the same clicks
 * and does the same Kafka and state I/O per click as the full topology, with records of the sizes
 * the full topology wrote in the same run, but computes nothing: no Avro parsing, no validation, no
 * model, no search, no batching.
 *
 * <p>Per click: the history store's get and put (the history also holds the ids deduplication
 * checks, so there is no dedup store, and the history's size includes them), and the last-list
 * store's get and put (the list emitted for the click), cached as the full app's; a pending-store
 * put and delete of the history's value, cached; and one record each to the instance, user-vector
 * and recommendations topics. Values are constant byte arrays of the measured mean sizes; like the
 * full app, the floor encodes nothing, so the pending put shares the history's array as the full
 * app shares its encoding.
 */
final class IoFloor {

  static final String HISTORY = "floor-history";
  static final String PENDING = "floor-pending";
  static final String LISTS = "floor-lists";

  /** Mean sizes, in bytes, of what the full topology wrote in the same run. */
  record Sizes(int history, int lastList, int instance, int userVector, int recommendations) {}

  private IoFloor() {}

  static Topology topology(
      Sizes sizes, String clicks, String instances, String vectors, String recommendations) {
    Topology t = new Topology();
    t.addSource("clicks", new StringDeserializer(), new ByteArrayDeserializer(), clicks);
    t.addProcessor("floor", () -> new Floor(sizes), "clicks");
    t.addSink("instances", instances, new StringSerializer(), new ByteArraySerializer(), "floor");
    t.addSink("vectors", vectors, new StringSerializer(), new ByteArraySerializer(), "floor");
    t.addSink(
        "recommendations",
        recommendations,
        new StringSerializer(),
        new ByteArraySerializer(),
        "floor");
    // The same store types and caching as FreshetTopology's history, last-list and pending stores.
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(HISTORY), Serdes.String(), Serdes.ByteArray())
            .withCachingEnabled(),
        "floor");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LISTS), Serdes.String(), Serdes.ByteArray())
            .withCachingEnabled(),
        "floor");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING), Serdes.String(), Serdes.ByteArray())
            .withCachingEnabled(),
        "floor");
    return t;
  }

  private static byte[] filler(int n, long seed) {
    byte[] b = new byte[Math.max(0, n)];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static final class Floor implements Processor<String, byte[], String, byte[]> {
    private final byte[] history;
    private final byte[] lastList;
    private final byte[] instance;
    private final byte[] vector;
    private final byte[] recommendations;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> histories;
    private KeyValueStore<String, byte[]> pending;
    private KeyValueStore<String, byte[]> lists;

    Floor(Sizes sizes) {
      this.history = filler(sizes.history(), 1);
      this.lastList = filler(sizes.lastList(), 2);
      this.instance = filler(sizes.instance(), 3);
      this.vector = filler(sizes.userVector(), 4);
      this.recommendations = filler(sizes.recommendations(), 5);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
      this.histories = context.getStateStore(HISTORY);
      this.pending = context.getStateStore(PENDING);
      this.lists = context.getStateStore(LISTS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      String user = record.key();
      histories.get(user);
      lists.get(user);
      histories.put(user, history);
      pending.put(user, history);
      lists.put(user, lastList);
      pending.put(user, null); // as the full app deletes: no read-back of the old value
      context.forward(record.withValue(instance), "instances");
      context.forward(record.withValue(vector), "vectors");
      context.forward(record.withValue(recommendations), "recommendations");
    }
  }
}
