package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ModelUpdate;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfills on a real broker and registry: two replays of the same range of the same log with the
 * same seed publish identical parameters; a tag cannot be re-run without --reset, and with it gives
 * the same model again.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReplayIT {

  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final int USERS = 30;
  private static final int CLICKS_PER_USER = 12;
  private static final Pattern FINGERPRINT =
      Pattern.compile("model fingerprint sha256=([0-9a-f]+)");

  private final KafkaCluster kafka;
  private EmbeddedSchemaRegistry registry;
  @TempDir Path dir;

  ReplayIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void startRegistry() {
    registry =
        EmbeddedSchemaRegistry.start(
            new EmbeddedSchemaRegistry.Options(kafka.bootstrapServers())
                .topic(KafkaCluster.uniqueName("_schemas")));
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldRebuildTheSameModelFromTheSameRangeAndSeed() throws Exception {
    String source = KafkaCluster.uniqueName("clicks");
    // The clicks are dated T0, months ago: keep them, or the broker's retention check deletes them
    // while the test runs (retention goes by record timestamps).
    kafka.createTopic(source, 3, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
    OpsRun produced =
        OpsRun.run(
            "produce",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--schema-registry-url",
            registry.url(),
            "--topic",
            source,
            "--jsonl",
            clicksFile().toString());
    assertThat(produced.exitCode()).as(produced.toString()).isZero();
    Path trainerConfig = trainerConfig();
    String suffix = source.substring(source.lastIndexOf('-') + 1);
    String tagA = "a_" + suffix;
    String tagB = "b_" + suffix;

    OpsRun a = replay(source, tagA, trainerConfig);
    OpsRun b = replay(source, tagB, trainerConfig, "--cut-over");

    assertThat(a.exitCode()).as(a.toString()).isZero();
    assertThat(b.exitCode()).as(b.toString()).isZero();
    // [T0+60s, T0+300s) holds clicks 2..9 of every user.
    assertThat(a.out()).contains("copied 240 clicks into clicks." + tagA);
    assertThat(a.out()).contains("replay " + tagA + " done: 240 clicks");
    ParamFingerprint modelA = read("model-params." + tagA);
    ParamFingerprint modelB = read("model-params." + tagB);
    assertThat(modelA.version()).isGreaterThan(2);
    assertThat(modelA.entries().keySet())
        .anyMatch(k -> k.startsWith("row/"))
        .anyMatch(k -> k.startsWith("item/"))
        .contains("dense", "manifest");
    assertThat(modelB.entries()).isEqualTo(modelA.entries());
    assertThat(modelB.sha256()).isEqualTo(modelA.sha256());
    assertThat(fingerprint(a)).isEqualTo(modelA.sha256()).isEqualTo(fingerprint(b));
    assertThat(b.out())
        .contains("Cut-over: put model version '" + tagB + "' live")
        .contains("topic.model.params=model-params." + tagB)
        .contains("--group freshet-trainer-" + tagB)
        .contains("--to-datetime 2026-03-01T00:05:00.000+00:00");

    OpsRun again = replay(source, tagA, trainerConfig);
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
    assertThat(again.err()).contains("ran before").contains("--reset");

    OpsRun reset = replay(source, tagA, trainerConfig, "--reset");
    assertThat(reset.exitCode()).as(reset.toString()).isZero();
    assertThat(reset.out())
        .contains("reset: removed consumer group freshet-replay-" + tagA)
        .contains("reset: removed consumer group freshet-trainer-replay-" + tagA)
        .contains("reset: removed topic clicks." + tagA)
        .contains("reset: removed topic freshet-replay-" + tagA + "-user-history-changelog")
        .contains("reset: removed local state");
    assertThat(fingerprint(reset)).isEqualTo(modelA.sha256());
    try (Admin admin = kafka.admin()) {
      assertThat(admin.listTopics().names().get())
          .contains("model-params." + tagA, "recommendations." + tagB, "clicks." + tagB);
    }
  }

  private OpsRun replay(String source, String tag, Path trainerConfig, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "replay",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--schema-registry-url",
                registry.url(),
                "--source-topic",
                source,
                "--from-time",
                T0.plusSeconds(60).toString(),
                "--to-time",
                T0.plusSeconds(300).toString(),
                "--version-tag",
                tag,
                "--seed",
                "7",
                "--state-dir",
                dir.resolve("state").toString(),
                "--trainer-config",
                trainerConfig.toString(),
                "-S",
                "history.size=5",
                "--stall-timeout",
                "90s"));
    args.addAll(List.of(extra));
    return OpsRun.run(args.toArray(String[]::new));
  }

  private Path clicksFile() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int k = 0; k < CLICKS_PER_USER; k++) {
      for (int u = 0; u < USERS; u++) {
        long time = T0.plusSeconds(k * 30L + u).toEpochMilli();
        int item = (u * 7 + k * 3) % 20;
        lines
            .append("{\"userId\":\"u")
            .append(u)
            .append("\",\"videoId\":\"m")
            .append(item)
            .append("\",\"eventTime\":")
            .append(time)
            .append(",\"province\":\"p")
            .append(u % 3)
            .append("\",\"category\":\"c")
            .append(item % 4)
            .append("\",\"tags\":[\"t")
            .append(item % 5)
            .append("\"]}\n");
      }
    }
    return Files.writeString(dir.resolve("clicks.jsonl"), lines);
  }

  private Path trainerConfig() throws Exception {
    return Files.writeString(
        dir.resolve("trainer.properties"),
        String.join(
            "\n",
            "model.userDim=4",
            "model.provinceDim=2",
            "model.cityDim=2",
            "model.phoneDim=2",
            "model.itemDim=5",
            "model.categoryDim=2",
            "model.tagDim=4",
            "model.lstmHidden=6",
            "model.hiddenDim=8",
            "model.userVectorDim=5",
            "model.maxWindow=5",
            "model.featAppearLimit=1",
            "model.numNegatives=3",
            "batch.size=16",
            "publish.every.batches=3",
            ""));
  }

  private static String fingerprint(OpsRun run) {
    Matcher m = FINGERPRINT.matcher(run.out());
    assertThat(m.find()).as(run.toString()).isTrue();
    return m.group(1);
  }

  private ParamFingerprint read(String topic) {
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(
                kafka.consumerConfig(KafkaCluster.uniqueName("fp")),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        Deserializer<ModelUpdate> updates =
            AvroSerdes.specific(
                    ModelUpdate.class, Map.of("schema.registry.url", registry.url()), false)
                .deserializer()) {
      return ParamFingerprint.read(consumer, topic, updates);
    }
  }
}
