package dev.freshet.bench.pipeline;

import dev.freshet.avro.ModelContribution;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.serde.AvroClassTrust;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.trainer.TrainerApp;
import dev.freshet.trainer.TrainerConfig;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What scaling the trainer out costs per instance: for each N, N trainer processes of one group
 * (the default model) train the same instances from a topic of {@code partitions} partitions, and
 * the harness reports the trainers' CPU-seconds per trained instance (from the processes' CPU time,
 * start-up and recovery excluded), the bytes they exchanged on {@code model-sync} per instance, the
 * snapshots' bytes per instance, and how old the followers' contributions were when the leader's
 * snapshot merged them (manifest written minus contribution built). On 2 cores the N processes
 * share the machine, so wall-clock speed-up cannot show; the CPU cost per instance can.
 *
 * <p>The CPU is also split by thread ({@link ThreadCpu}): a JVM that is still compiling spends as
 * much in its JIT compilers as in training, so the harness warms every trainer with {@code warmup}
 * instances of its own (N times as many in all) and reports the CPU without the compilers and the
 * collector beside the total.
 *
 * <p>{@code publishMs} is the trainers' {@code publish.interval.ms}: one value for every N, or one
 * per entry of {@code trainers}. A contribution's cost per instance falls as its round holds more
 * instances (popular rows and the dense weights are sent once per round), and on a machine where N
 * trainers share the cores a round of the same length holds fewer; the table gives the instances
 * per contribution so runs can be compared at equal round sizes.
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp benchmarks/target/benchmarks.jar \
 *     dev.freshet.bench.pipeline.MultiTrainerHarness trainers=1,2,4 instances=20000 partitions=4 \
 *     [publishMs=1000 | publishMs=1000,1000,2000]
 * </pre>
 */
public final class MultiTrainerHarness {

  private MultiTrainerHarness() {}

  public static void main(String[] args) throws Exception {
    AvroClassTrust.install();
    Map<String, String> a = Args.parse(args);
    int n = Args.intArg(a, "instances", 20_000);
    int items = Args.intArg(a, "items", 20_000);
    int window = Args.intArg(a, "window", 20);
    int batch = Args.intArg(a, "batch", 256);
    int partitions = Args.intArg(a, "partitions", 4);
    // Warm-up instances per trainer: each JVM compiles the training step, the contributions and
    // the merges itself, so N trainers get N times as many to reach the same state.
    int warmup = Args.intArg(a, "warmup", 20_000);
    List<Integer> counts = new ArrayList<>();
    for (String s : a.getOrDefault("trainers", "1,2,4").split(",")) {
      counts.add(Integer.parseInt(s.trim()));
    }
    // One publish.interval.ms for every N, or one per N in the order of trainers=: a round's size
    // in instances (its rate times the interval) sets what a contribution costs per instance.
    String[] given = a.getOrDefault("publishMs", "1000").split(",");
    if (given.length != 1 && given.length != counts.size()) {
      throw new IllegalArgumentException(
          "publishMs takes one interval or one per entry of trainers=, got " + given.length);
    }
    List<String> intervals = new ArrayList<>();
    for (int i = 0; i < counts.size(); i++) {
      intervals.add(given[given.length == 1 ? 0 : i].trim());
    }
    System.out.printf(
        "settings: instances=%d warmup=%d per trainer items=%d window=%d batch=%d partitions=%d publish.interval.ms=%s"
            + " default model, featAppearLimit=1, cores=%d, OMP_NUM_THREADS=%s%n",
        n,
        warmup,
        items,
        window,
        batch,
        partitions,
        String.join(",", intervals),
        Runtime.getRuntime().availableProcessors(),
        System.getenv("OMP_NUM_THREADS"));
    List<String> rows = new ArrayList<>();
    try (BenchCluster cluster = BenchCluster.start("inline")) {
      double base = Double.NaN;
      double appBase = Double.NaN;
      for (int i = 0; i < counts.size(); i++) {
        int trainers = counts.get(i);
        String interval = intervals.get(i);
        Result r =
            run(
                cluster,
                trainers,
                warmup * trainers,
                n,
                items,
                window,
                batch,
                partitions,
                interval);
        if (Double.isNaN(base)) {
          base = r.cpuPerInstanceMs();
          appBase = r.appCpuPerInstanceMs();
        }
        rows.add(
            String.format(
                "| %d | %s | %.3f | %.2f | %.1f / %.1f | %.3f | %.2f | %,.0f | %,.0f | %,.0f | %.0f |"
                    + " %d / %d | %.1f |",
                trainers,
                interval,
                r.cpuPerInstanceMs(),
                r.cpuPerInstanceMs() / base,
                r.jitSeconds(),
                r.gcSeconds(),
                r.appCpuPerInstanceMs(),
                r.appCpuPerInstanceMs() / appBase,
                r.syncBytesPerInstance(),
                r.instancesPerContribution(),
                r.paramBytesPerInstance(),
                r.instancesPerSecond(),
                r.stalenessP50(),
                r.stalenessP99(),
                r.wallSeconds()));
      }
    }
    System.out.println();
    System.out.println(
        "| trainers | publish.interval.ms | CPU ms / instance | × N=1 | of which JIT / GC s |"
            + " without JIT and GC, ms / instance | × N=1 | model-sync B / instance |"
            + " instances / contribution | model-params B / instance | instances/s (wall) |"
            + " merge staleness p50 / p99 ms | wall s |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  private record Result(
      double cpuPerInstanceMs,
      double appCpuPerInstanceMs,
      double jitSeconds,
      double gcSeconds,
      double syncBytesPerInstance,
      double instancesPerContribution,
      double paramBytesPerInstance,
      double instancesPerSecond,
      long stalenessP50,
      long stalenessP99,
      double wallSeconds) {}

  private static Result run(
      BenchCluster cluster,
      int trainers,
      int warmup,
      int n,
      int items,
      int window,
      int batch,
      int partitions,
      String interval)
      throws Exception {
    String prefix = "n" + trainers + "-";
    cluster.topic(prefix + "training-instances", partitions, false);
    cluster.topic(prefix + "training-instances-dlq", 1, false);
    cluster.topic(prefix + "model-params", 1, true);
    cluster.topic(prefix + "item-vectors", 2, true);
    cluster.topic(prefix + "snapshots", 1, true);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(prefix + "model-sync", 1, (short) 1)
                      .configs(Map.of("max.message.bytes", "16777216"))))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    Path dir = cluster.newDir("multi-trainer-bench");
    List<Process> procs = new ArrayList<>();
    try {
      for (int i = 0; i < trainers; i++) {
        procs.add(spawn(cluster, prefix, "t" + i, batch, window, interval, dir));
      }
      awaitMembers(cluster, prefix + "group", trainers, partitions, procs);
      Map<String, Object> serde = Map.of("schema.registry.url", cluster.registryUrl());
      Deserializer<SnapshotManifest> md =
          AvroSerdes.specific(SnapshotManifest.class, serde, false).deserializer();
      Random rnd = new Random(11);
      // Warm-up: the JIT compiles the training step in every trainer JVM; not measured.
      send(cluster, prefix, rnd, 0, warmup, items, window);
      awaitApplied(cluster, prefix, md, warmup, procs);
      double[] cpu0 = cpuSeconds(procs);
      Map<ThreadCpu.Kind, Double> split0 = threadCpu(procs);
      double self0 = ThreadCpu.processSeconds(ProcessHandle.current());
      long t0 = System.nanoTime();
      send(cluster, prefix, rnd, warmup, n, items, window);
      List<SnapshotManifest> manifests = awaitApplied(cluster, prefix, md, warmup + n, procs);
      double wall = (System.nanoTime() - t0) / 1e9;
      double[] cpu1 = cpuSeconds(procs);
      Map<ThreadCpu.Kind, Double> split = ThreadCpu.minus(threadCpu(procs), split0);
      double self = ThreadCpu.processSeconds(ProcessHandle.current()) - self0;
      double cpu = 0;
      for (int i = 0; i < procs.size(); i++) {
        cpu += cpu1[i] - cpu0[i];
      }
      double jit = split.getOrDefault(ThreadCpu.Kind.JIT, Double.NaN);
      double gc = split.getOrDefault(ThreadCpu.Kind.GC, Double.NaN);
      double app = split.getOrDefault(ThreadCpu.Kind.APP, Double.NaN);

      manifests.removeIf(m -> m.getInstancesApplied() <= warmup);
      Deserializer<ModelContribution> cd =
          AvroSerdes.specific(ModelContribution.class, serde, false).deserializer();
      long syncBytes = 0;
      long contributions = 0;
      long contributedInstances = 0;
      TreeMap<Long, Long> builtAt = new TreeMap<>();
      long syncFrom =
          manifests.stream()
              .mapToLong(SnapshotManifest::getSyncFrom)
              .filter(o -> o >= 0)
              .min()
              .orElse(Long.MAX_VALUE);
      for (ConsumerRecord<String, byte[]> r : readAll(cluster, prefix + "model-sync")) {
        if (r.offset() < syncFrom) {
          continue; // written during the warm-up
        }
        syncBytes += r.serializedValueSize();
        ModelContribution m = cd.deserialize(r.topic(), r.value());
        contributions++;
        contributedInstances += m.getInstances();
        if (m.getLeaderVersion() == null) {
          builtAt.put(r.offset(), m.getCreatedAt().toEpochMilli());
        }
      }
      Histogram staleness = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
      for (SnapshotManifest m : manifests) {
        if (m.getSyncFrom() >= 0 && m.getSyncTo() > m.getSyncFrom()) {
          for (long built : builtAt.subMap(m.getSyncFrom(), m.getSyncTo()).values()) {
            staleness.recordValue(Math.max(0, m.getCreatedAt().toEpochMilli() - built));
          }
        }
      }
      // model-params is compacted; the snapshots' own sizes are in their manifests' counts, so
      // the bytes written are measured on the uncompacted log right after the run.
      long paramBytes = 0;
      long firstMeasured =
          manifests.stream().mapToLong(SnapshotManifest::getVersion).min().orElse(Long.MAX_VALUE);
      Deserializer<dev.freshet.avro.ModelUpdate> ud =
          AvroSerdes.specific(dev.freshet.avro.ModelUpdate.class, serde, false).deserializer();
      for (ConsumerRecord<String, byte[]> r : readAll(cluster, prefix + "model-params")) {
        if (r.value() != null
            && ud.deserialize(r.topic(), r.value()).getVersion() >= firstMeasured) {
          paramBytes += r.serializedValueSize();
        }
      }
      Result res =
          new Result(
              cpu * 1000 / n,
              app * 1000 / n,
              jit,
              gc,
              (double) syncBytes / n,
              contributions == 0 ? 0 : (double) contributedInstances / contributions,
              (double) paramBytes / n,
              n / wall,
              staleness.getTotalCount() == 0 ? 0 : staleness.getValueAtPercentile(50),
              staleness.getTotalCount() == 0 ? 0 : staleness.getValueAtPercentile(99),
              wall);
      System.out.printf(
          "N=%d: %,d instances in %.1f s, trainers' CPU %.1f s (%.3f ms/instance; JIT compilers"
              + " %.1f s, GC and VM thread %.1f s, the rest %.1f s = %.3f ms/instance; broker and"
              + " harness %.1f s), model-sync"
              + " %,d B (%,.0f B/instance) in %d contributions (%,.0f instances each),"
              + " model-params %,d B, %d snapshots, merge staleness"
              + " p50 %d ms p99 %d ms (%d merges)%n",
          trainers,
          n,
          wall,
          cpu,
          res.cpuPerInstanceMs(),
          jit,
          gc,
          app,
          res.appCpuPerInstanceMs(),
          self,
          syncBytes,
          res.syncBytesPerInstance(),
          contributions,
          res.instancesPerContribution(),
          paramBytes,
          manifests.size(),
          res.stalenessP50(),
          res.stalenessP99(),
          staleness.getTotalCount());
      return res;
    } finally {
      for (Process pr : procs) {
        pr.destroy();
      }
      for (Process pr : procs) {
        if (!pr.waitFor(60, TimeUnit.SECONDS)) {
          pr.destroyForcibly();
        }
      }
    }
  }

  private static void send(
      BenchCluster cluster, String prefix, Random rnd, int from, int count, int items, int window)
      throws Exception {
    Serializer<TrainingInstance> s =
        AvroSerdes.specific(
                TrainingInstance.class, Map.of("schema.registry.url", cluster.registryUrl()), false)
            .serializer();
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    String topic = prefix + "training-instances";
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = from; i < from + count; i++) {
        TrainingInstance t =
            TrainerHarness.instance(rnd, i, items, window, System.currentTimeMillis());
        producer.send(new ProducerRecord<>(topic, t.getUserId(), s.serialize(topic, t)));
      }
    }
  }

  /** Waits until a snapshot holds {@code count} instances; returns every manifest so far. */
  private static List<SnapshotManifest> awaitApplied(
      BenchCluster cluster,
      String prefix,
      Deserializer<SnapshotManifest> md,
      long count,
      List<Process> procs)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (true) {
      List<SnapshotManifest> manifests = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : readAll(cluster, prefix + "snapshots")) {
        manifests.add(md.deserialize(r.topic(), r.value()));
      }
      long applied =
          manifests.stream().mapToLong(SnapshotManifest::getInstancesApplied).max().orElse(0);
      if (applied >= count) {
        return manifests;
      }
      for (Process pr : procs) {
        if (!pr.isAlive()) {
          throw new IllegalStateException("a trainer exited");
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + applied + " of " + count + " applied");
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  private static Process spawn(
      BenchCluster cluster,
      String prefix,
      String instance,
      int batch,
      int window,
      String interval,
      Path dir)
      throws Exception {
    Map<String, String> c = new HashMap<>();
    c.put(TrainerConfig.BOOTSTRAP_SERVERS, cluster.bootstrap());
    c.put(TrainerConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl());
    c.put(TrainerConfig.GROUP_ID, prefix + "group");
    c.put(TrainerConfig.TRANSACTIONAL_ID, prefix + "trainer");
    c.put(TrainerConfig.INSTANCE_ID, instance);
    c.put(TrainerConfig.TOPIC_TRAINING_INSTANCES, prefix + "training-instances");
    c.put(TrainerConfig.TOPIC_INSTANCES_DLQ, prefix + "training-instances-dlq");
    c.put(TrainerConfig.TOPIC_MODEL_PARAMS, prefix + "model-params");
    c.put(TrainerConfig.TOPIC_ITEM_VECTORS, prefix + "item-vectors");
    c.put(TrainerConfig.TOPIC_SNAPSHOTS, prefix + "snapshots");
    c.put(TrainerConfig.TOPIC_MODEL_SYNC, prefix + "model-sync");
    c.put(TrainerConfig.BATCH_SIZE, Integer.toString(batch));
    c.put(TrainerConfig.PUBLISH_INTERVAL_MS, interval);
    c.put(TrainerConfig.CHECKPOINT_DIR, dir.resolve("ckpt-" + instance).toString());
    c.put(TrainerConfig.HTTP_PORT, "-1");
    c.put("model.featAppearLimit", "1");
    c.put("model.maxWindow", Integer.toString(window));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    // Extra JVM options for the trainers, e.g. a flight recording each:
    // -Dbench.trainer.jvm="-XX:StartFlightRecording=filename=/tmp/t-%i.jfr" (%i: the instance).
    for (String opt : System.getProperty("bench.trainer.jvm", "").trim().split("\\s+")) {
      if (!opt.isEmpty()) {
        cmd.add(opt.replace("%i", instance));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrainerApp.class.getName());
    c.forEach((k, v) -> cmd.add(k + "=" + v));
    File out = dir.resolve("trainer-" + instance + ".log").toFile();
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out);
    pb.environment().put("OMP_NUM_THREADS", "1");
    return pb.start();
  }

  /**
   * Waits until the group is stable with {@code count} members, as many of them with partitions as
   * there are partitions to go round.
   */
  private static void awaitMembers(
      BenchCluster cluster, String group, int count, int partitions, List<Process> procs)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
      while (System.nanoTime() < deadline) {
        ConsumerGroupDescription d;
        try {
          d =
              admin
                  .describeConsumerGroups(List.of(group))
                  .all()
                  .get(30, TimeUnit.SECONDS)
                  .get(group);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof GroupIdNotFoundException)) {
            throw e;
          }
          TimeUnit.MILLISECONDS.sleep(300); // no trainer has joined yet
          continue;
        }
        long assigned =
            d.members().stream()
                .map(MemberDescription::assignment)
                .filter(x -> !x.topicPartitions().isEmpty())
                .count();
        if (d.members().size() == count
            && assigned == Math.min(count, partitions)
            && d.state().toString().equalsIgnoreCase("stable")) {
          TimeUnit.SECONDS.sleep(2); // the assignment's recovery (import, replay) runs in poll
          return;
        }
        for (Process p : procs) {
          if (!p.isAlive()) {
            throw new IllegalStateException("a trainer exited before joining");
          }
        }
        TimeUnit.MILLISECONDS.sleep(300);
      }
    }
    throw new IllegalStateException("the group did not reach " + count + " members");
  }

  private static double[] cpuSeconds(List<Process> procs) {
    double[] out = new double[procs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ThreadCpu.processSeconds(procs.get(i).toHandle());
    }
    return out;
  }

  /** The trainers' CPU seconds by kind of thread, summed over the processes. */
  private static Map<ThreadCpu.Kind, Double> threadCpu(List<Process> procs) {
    Map<ThreadCpu.Kind, Double> sum = new HashMap<>();
    for (Process p : procs) {
      ThreadCpu.of(p.pid()).forEach((k, v) -> sum.merge(k, v, Double::sum));
    }
    return sum;
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(BenchCluster cluster, String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
