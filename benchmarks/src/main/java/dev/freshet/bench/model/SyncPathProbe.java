package dev.freshet.bench.model;

import dev.freshet.avro.ModelContribution;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.Contribution;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.ModelPreset;
import dev.freshet.paramlog.ContributionCodec;
import dev.freshet.serde.AvroClassTrust;
import dev.freshet.serde.AvroSerdes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the several-trainer sync path (issue 13) costs next to training, in <em>thread CPU time</em>
 * on one thread, without Kafka: the work a trainer does per contribution it writes (drain, build
 * the record, encode) and per contribution it receives (decode, build the deltas, merge), against
 * the training step it does per instance.
 *
 * <p>{@code writers} replicas of one model train in turn, {@code interval} instances each, and each
 * drains a contribution; one more replica, the receiver, trains one interval of its own and merges
 * all of them, as a trainer of a group of {@code writers + 1} merges the others'. Rounds alternate
 * the phases, so every phase sees the same load; the first quarter of the rounds is not counted.
 *
 * <p>From the per-instance figures it projects the CPU of one trainer of a group of N per instance
 * of its own, relative to a trainer alone: {@code 1 + (drain + encode + (N − 1)·(decode + merge)) /
 * train}, each term per instance behind a contribution. That is the part of issue 13's "× N=1" that
 * the model's code decides; the Kafka clients, the JIT and the collector come on top in {@code
 * MultiTrainerHarness}.
 *
 * <p>Usage: {@code OMP_NUM_THREADS=1 java -cp benchmarks.jar dev.freshet.bench.model.SyncPathProbe
 * [rounds=12] [interval=512] [writers=3] [preset=DEFAULT]}.
 */
public final class SyncPathProbe {
  private SyncPathProbe() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    int interval = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int writers = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    ModelPreset preset = args.length > 3 ? ModelPreset.valueOf(args[3]) : ModelPreset.DEFAULT;
    if (rounds < 2 || interval < ModelTrainingBenchmark.BATCH || writers < 1) {
      throw new IllegalArgumentException(
          "rounds must be >= 2, interval >= " + ModelTrainingBenchmark.BATCH + ", writers >= 1");
    }
    AvroClassTrust.install();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    ModelConfig cfg = ModelTrainingBenchmark.config(preset);
    List<CandidateModel> replicas = new ArrayList<>();
    for (int i = 0; i <= writers; i++) {
      CandidateModel m = ModelTrainingBenchmark.warmModel(cfg);
      m.trackContributions();
      m.drainContribution(); // the warm-up's admissions are everyone's starting point
      replicas.add(m);
    }
    CandidateModel receiver = replicas.get(writers);
    Random r = new Random(1);
    int batchesPerInterval = interval / ModelTrainingBenchmark.BATCH;
    // The trainers' own serde (Confluent wire format, an in-memory registry), so encode and decode
    // are what a trainer pays: the compiled writer, the registry's cached ids, the fast reader.
    Serde<ModelContribution> serde =
        AvroSerdes.specific(
            ModelContribution.class,
            Map.of("schema.registry.url", "mock://sync-path-probe"),
            false);
    Serializer<ModelContribution> writer = serde.serializer();
    Deserializer<ModelContribution> reader = serde.deserializer();
    System.out.printf(
        Locale.ROOT,
        "settings: preset=%s rounds=%d interval=%d instances writers=%d batch=%d items=%d%n",
        preset,
        rounds,
        interval,
        writers,
        ModelTrainingBenchmark.BATCH,
        ModelTrainingBenchmark.ITEMS);
    long[] ns = new long[5]; // train, drain, encode, decode, merge
    long instances = 0;
    long rows = 0;
    long bytes = 0;
    long event = 1;
    int counted = 0;
    for (int round = 1; round <= rounds; round++) {
      boolean count = round > rounds / 4;
      List<byte[]> records = new ArrayList<>();
      long[] t = new long[5];
      for (int w = 0; w < writers; w++) {
        CandidateModel m = replicas.get(w);
        long c0 = mx.getCurrentThreadCpuTime();
        for (int b = 0; b < batchesPerInterval; b++) {
          m.train(ModelTrainingBenchmark.batch(r, cfg.maxWindow()), event++);
        }
        long c1 = mx.getCurrentThreadCpuTime();
        Contribution c = m.drainContribution();
        long c2 = mx.getCurrentThreadCpuTime();
        ModelContribution record =
            ContributionCodec.toAvro(
                new ContributionCodec.Header(
                    "w" + w, "probe", round, null, interval, event, System.currentTimeMillis()),
                c);
        byte[] out = writer.serialize("model-sync", record);
        long c3 = mx.getCurrentThreadCpuTime();
        records.add(out);
        t[0] += c1 - c0;
        t[1] += c2 - c1;
        t[2] += c3 - c2;
        if (count) {
          rows += c.rowCount();
          bytes += out.length;
        }
      }
      for (int b = 0; b < batchesPerInterval; b++) {
        receiver.train(ModelTrainingBenchmark.batch(r, cfg.maxWindow()), event++);
      }
      for (byte[] rec : records) {
        long c0 = mx.getCurrentThreadCpuTime();
        Contribution c = ContributionCodec.fromAvro(reader.deserialize("model-sync", rec));
        long c1 = mx.getCurrentThreadCpuTime();
        receiver.merge(c, event);
        long c2 = mx.getCurrentThreadCpuTime();
        t[3] += c1 - c0;
        t[4] += c2 - c1;
      }
      receiver.drainContribution();
      if (count) {
        counted++;
        for (int i = 0; i < t.length; i++) {
          ns[i] += t[i];
        }
        instances += (long) writers * interval;
      }
    }
    double train = ns[0] / 1e6 / instances;
    double drain = ns[1] / 1e6 / instances;
    double encode = ns[2] / 1e6 / instances;
    // The receiver decodes and merges every instance the writers trained.
    double decode = ns[3] / 1e6 / instances;
    double merge = ns[4] / 1e6 / instances;
    System.out.printf(
        Locale.ROOT,
        "%d rounds counted: %,d instances trained by the writers, %.1f rows and %,d bytes per"
            + " contribution (%.1f rows, %,.0f bytes per instance)%n%n",
        counted,
        instances,
        (double) rows / (counted * writers),
        bytes / (counted * writers),
        (double) rows / instances,
        (double) bytes / instances);
    System.out.println(
        "| CPU ms per instance: train | drain | encode | decode | merge | sync per received instance"
            + " / train | projected × N=1 at N=2 | N=4 | N=8 |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    double own = drain + encode;
    double recv = decode + merge;
    System.out.printf(
        Locale.ROOT,
        "| %.4f | %.4f | %.4f | %.4f | %.4f | %.3f | %.2f | %.2f | %.2f |%n",
        train,
        drain,
        encode,
        decode,
        merge,
        recv / train,
        1 + (own + recv) / train,
        1 + (own + 3 * recv) / train,
        1 + (own + 7 * recv) / train);
  }
}
