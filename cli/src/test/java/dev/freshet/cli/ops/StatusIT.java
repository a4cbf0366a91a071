package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.cli.BrokerCommand;
import dev.freshet.cli.TopicSet;
import dev.freshet.streams.StreamApp;
import dev.freshet.streams.StreamAppConfig;
import dev.freshet.trainer.OnlineTrainer;
import dev.freshet.trainer.TrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freshet status} against a broker and registry of its own (the topic names and the apps'
 * default group names are fixed): an empty cluster, a running pipeline with a dead letter, and a
 * stopped trainer, each with the exit code a probe would see.
 */
class StatusIT {

  /** A partition of training-instances whose instances are all trained and committed. */
  private static final Pattern TRAINED =
      Pattern.compile("training-instances\\[[01]\\] +committed \\d+ +end \\d+ +lag 0");

  @TempDir static Path dir;
  private static BrokerCommand.LocalCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = BrokerCommand.LocalCluster.start(dir.resolve("cluster"), 0, 0);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  private static OpsRun status() {
    return OpsRun.run(
        "status", "--bootstrap", cluster.bootstrapServers(), "--registry", cluster.registryUrl());
  }

  private static OpsRun awaitStatus(Predicate<OpsRun> condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    OpsRun last = status();
    while (!condition.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what + "\n" + last);
      }
      TimeUnit.MILLISECONDS.sleep(500);
      last = status();
    }
    return last;
  }

  @Test
  void shouldTellAnEmptyClusterAHealthyPipelineAndAStoppedTrainerApart() throws Exception {
    OpsRun empty = status();
    assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(1);
    assertThat(empty.out())
        .containsPattern("MISSING +clicks")
        .contains("no running instance")
        .contains("Newest snapshot: none")
        .contains("PROBLEMS");

    TopicSet.create(cluster.bootstrapServers(), TopicSet.specs(2, -1));
    OnlineTrainer trainer = new OnlineTrainer(new TrainerConfig(trainerConfig()));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (StreamApp app = StreamApp.start(new StreamAppConfig(streamAppConfig()))) {
      executor.submit(trainer::run);
      produceClicks(60);
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", cluster.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        p.send(
                new ProducerRecord<>(
                    "clicks",
                    "u1".getBytes(StandardCharsets.UTF_8),
                    "{\"userId\":\"u1\"}".getBytes(StandardCharsets.UTF_8)))
            .get(30, TimeUnit.SECONDS);
      }

      OpsRun healthy =
          awaitStatus(
              r ->
                  r.exitCode() == 0
                      && r.out().contains("UNDESERIALIZABLE 1")
                      && r.out()
                          .contains("Trainer (group freshet-trainer): Stable, 1 member, lag 0")
                      // ("lag unknown" until the group's first commit.)
                      && TRAINED.matcher(r.out()).find(),
              "a healthy pipeline with one dead letter, every instance trained");
      assertThat(healthy.out())
          .containsPattern("ok +clicks")
          .containsPattern("Stream app \\(group freshet-stream\\): Stable, 1 member")
          .containsPattern("Trainer \\(group freshet-trainer\\): Stable, 1 member")
          // Transactional topics: the commit markers after the last instance are not lag.
          .containsPattern("training-instances\\[[01]\\] +committed \\d+ +end \\d+ +lag 0")
          .containsPattern("Newest snapshot: v\\d+, written ")
          .containsPattern("clicks-dlq +UNDESERIALIZABLE 1")
          .containsPattern("clicks-value +v1 +BACKWARD")
          .contains("OK: nothing wrong found");

      trainer.close();
      OpsRun stopped =
          awaitStatus(r -> r.exitCode() == 1, "the stopped trainer reported as a problem");
      assertThat(stopped.out())
          .contains("! trainer (group freshet-trainer): no running instance")
          .doesNotContain("! stream app");
    } finally {
      trainer.close();
      executor.shutdownNow();
      assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  private void produceClicks(int n) throws Exception {
    List<String> lines = new ArrayList<>();
    long t0 = Instant.now().minusSeconds(600).toEpochMilli();
    for (int i = 0; i < n; i++) {
      lines.add(
          String.format(
              "{\"userId\":\"u%d\",\"videoId\":\"v%d\",\"eventTime\":%d,\"category\":\"c%d\"}",
              i % 6, i % 9, t0 + i * 1000L, i % 3));
    }
    Path file = dir.resolve("clicks.jsonl");
    Files.write(file, lines);
    OpsRun produced =
        OpsRun.run(
            "produce",
            "--bootstrap-servers",
            cluster.bootstrapServers(),
            "--schema-registry-url",
            cluster.registryUrl(),
            "--jsonl",
            file.toString());
    assertThat(produced.exitCode()).as(produced.toString()).isZero();
  }

  private static Map<String, Object> streamAppConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put(StreamAppConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
    c.put(StreamAppConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl());
    c.put(StreamAppConfig.STATE_DIR, dir.resolve("state").toString());
    c.put(StreamAppConfig.HTTP_PORT, "-1");
    c.put("commit.interval.ms", "100");
    c.put("consumer.auto.offset.reset", "earliest");
    return c;
  }

  private static Map<String, Object> trainerConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put(TrainerConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
    c.put(TrainerConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl());
    c.put(TrainerConfig.CHECKPOINT_DIR, dir.resolve("checkpoints").toString());
    c.put(TrainerConfig.HTTP_PORT, "-1");
    c.put(TrainerConfig.BATCH_SIZE, "16");
    c.put(TrainerConfig.PUBLISH_INTERVAL_MS, "500");
    c.put("model.userDim", "4");
    c.put("model.provinceDim", "2");
    c.put("model.cityDim", "2");
    c.put("model.phoneDim", "2");
    c.put("model.itemDim", "5");
    c.put("model.categoryDim", "2");
    c.put("model.tagDim", "4");
    c.put("model.lstmHidden", "6");
    c.put("model.hiddenDim", "8");
    c.put("model.userVectorDim", "5");
    c.put("model.maxWindow", "5");
    c.put("model.featAppearLimit", "1");
    c.put("model.numNegatives", "3");
    return c;
  }
}
