package dev.freshet.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.streams.StreamApp;
import dev.freshet.testkit.HeadlessChromium;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import dev.freshet.trainer.TrainerApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream app's dashboard for a real deployment: two stream-app processes and a trainer process
 * (not the demo's JVM) against one broker. Every instance shows the whole application: instance b
 * is asked for the figures, including a's, and headless Chromium renders b's page with every chart,
 * the instances, the quality per model version, the groups, the dead letters and a user's lookup
 * (forwarded to the user's owner).
 */
@ExtendWith(KafkaBrokerExtension.class)
class DashboardIT {

  private static final int PARTITIONS = 4;
  private static final int USERS = 60;
  private static final int RATE = 80;
  private static final int HISTORY = 20;
  private static final int BAD_RECORDS = 5;
  private static final long T0 = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaCluster kafka;
  private final String prefix = KafkaCluster.uniqueName("dashboard");
  private final Map<String, JvmProcess> apps = new HashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedSchemaRegistry registry;
  private JvmProcess trainer;
  private ClickStream clicks;
  @TempDir Path dir;

  DashboardIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void setUp() {
    registry =
        EmbeddedSchemaRegistry.start(
            new EmbeddedSchemaRegistry.Options(kafka.bootstrapServers())
                .topic(prefix + "-schemas"));
    for (String t :
        List.of(
            "clicks",
            "training-instances",
            "recommendations",
            "clicks-dlq",
            "training-instances-dlq")) {
      kafka.createTopic(t(t), PARTITIONS, false);
    }
    kafka.createTopic(t("user-vectors"), PARTITIONS, true);
    kafka.createTopic(t("item-vectors"), PARTITIONS, true);
    kafka.createTopic(t("model-params"), 1, true);
    kafka.createTopic(t("snapshots"), 1, true);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (clicks != null) {
      clicks.close();
    }
    for (JvmProcess app : apps.values()) {
      app.stop();
    }
    if (trainer != null) {
      trainer.stop();
    }
    registry.close();
  }

  @Test
  void shouldShowTheWholeApplicationFromEveryInstanceAndRenderItInHeadlessChromium()
      throws Exception {
    startTrainer();
    start("a");
    start("b");
    clicks =
        new ClickStream(
            kafka.bootstrapServers(), kafka.producerConfig(), registry.url(), USERS, RATE, T0);
    clicks.read(t("recommendations"), PARTITIONS, null, 0);
    clicks.produce(t("clicks"));
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(
            kafka.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < BAD_RECORDS; i++) {
        raw.send(
            new ProducerRecord<>(
                t("clicks"),
                ("u" + i).getBytes(StandardCharsets.UTF_8),
                "not avro".getBytes(StandardCharsets.UTF_8)));
      }
    }

    // Asked of b, the figures are the whole application's: both instances, both groups, the
    // model, the quality per version and the dead letters.
    JsonNode app =
        awaitApp(
            "b",
            a ->
                a.path("instances").size() == 2
                    && all(a.path("instances"), i -> i.path("state").asText().equals("RUNNING"))
                    && a.path("model").path("version").asLong(-1) >= 0
                    && a.path("groups").path("streamApp").path("members").asInt() == 2
                    && a.path("groups").path("trainer").path("members").asInt() == 1
                    && deadLetters(a, t("clicks-dlq")) == BAD_RECORDS
                    && judgedByModels(a) > 0
                    && a.path("cluster").path("t").size() > 1
                    && a.path("series").path("trainedPerSec").size() > 0
                    && lastNonNull(a.path("series").path("trainedPerSec")).isPresent()
                    && a.path("problems").isEmpty(),
            120);
    JsonNode series = app.path("series");
    assertThat(max(series.path("instances"))).as("instances merged per second").isEqualTo(2);
    assertThat(max(series.path("recsModel"))).as("model lists per second").isPositive();
    assertThat(lastNonNull(series.path("hr")))
        .hasValueSatisfying(v -> assertThat(v).isBetween(0.0, 1.0));
    assertThat(app.path("instances").findValuesAsText("host"))
        .contains("this instance", "127.0.0.1:" + ports.get("a"));

    // b answers for every user, the half a owns too (forwarded).
    for (int u = 0; u < USERS; u++) {
      HttpResponse<String> h = get("b", "/users/u" + u + "/history");
      assertThat(h.statusCode()).as("history of u%d from b: %s", u, h.body()).isEqualTo(200);
    }

    Optional<HeadlessChromium> chromium = HeadlessChromium.find(dir);
    assumeTrue(
        chromium.isPresent(),
        "chromium is not installed (apt-get install -y chromium); skipping the browser part");
    String url = "http://127.0.0.1:" + ports.get("b") + "/dashboard/?user=u7";
    String dom = chromium.get().dumpDom(url);
    Path screenshot = Path.of("target", "stream-app-dashboard.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    chromium.get().screenshot(url, screenshot);
    Files.writeString(Path.of("target", "stream-app-dashboard-dom.html"), dom);

    assertThat(dom).contains("data-loaded=\"true\"");
    Map<String, Integer> points = new HashMap<>();
    Matcher m = Pattern.compile("id=\"chart-(\\w+)\" data-points=\"(\\d+)\"").matcher(dom);
    while (m.find()) {
      points.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    assertThat(points)
        .containsOnlyKeys("throughput", "quality", "latency", "freshness", "trainer", "lag");
    assertThat(points.values()).allSatisfy(n -> assertThat(n).isGreaterThan(1));
    assertThat(dom).contains("<table class=\"instances\" data-count=\"2\">");
    assertThat(dom).containsPattern("<table class=\"versions\" data-count=\"[1-9]\\d*\">");
    assertThat(dom).contains("<table class=\"groups\" data-count=\"2\">");
    assertThat(dom).containsPattern("<table class=\"dead-letters\" data-count=\"[1-9]\">");
    assertThat(dom).contains(t("clicks-dlq"));
    assertThat(dom).contains("data-user=\"u7\"");
    assertThat(dom).containsPattern("<table class=\"history\" data-count=\"[1-9]\\d*\">");
    assertThat(dom).containsPattern("<table class=\"recs\" data-count=\"[1-9]\\d*\">");
    assertThat(dom).containsPattern("<span class=\"badge\">MODEL v\\d+</span>");
    Matcher sub = Pattern.compile("<p class=\"sub\">([^<]*)</p>").matcher(dom);
    List<String> subtitles = new ArrayList<>();
    while (sub.find()) {
      subtitles.add(sub.group(1));
    }
    assertThat(subtitles).hasSizeGreaterThanOrEqualTo(6);
    assertThat(subtitles.subList(0, 6))
        .allSatisfy(s -> assertThat(s).containsAnyOf(" vs ", "against"));
    assertThat(screenshot).isNotEmptyFile();
    // The dashboard's own lines: no error, and no WARN of a figure it could not get.
    for (JvmProcess p : apps.values()) {
      assertThat(p.logEntries(" d.f.s.d."))
          .noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR "));
    }
  }

  private interface Check {
    boolean test(JsonNode n);
  }

  private static boolean all(JsonNode array, Check c) {
    for (JsonNode n : array) {
      if (!c.test(n)) {
        return false;
      }
    }
    return true;
  }

  private static long deadLetters(JsonNode app, String topic) {
    long n = 0;
    for (JsonNode d : app.path("deadLetters")) {
      if (d.path("topic").asText().equals(topic)) {
        n += d.path("lastHour").asLong();
      }
    }
    return n;
  }

  private static long judgedByModels(JsonNode app) {
    long n = 0;
    for (JsonNode v : app.path("versions")) {
      if (v.path("version").asLong() >= 0) {
        n += v.path("judged").asLong();
      }
    }
    return n;
  }

  private static Optional<Double> lastNonNull(JsonNode array) {
    for (int i = array.size() - 1; i >= 0; i--) {
      if (!array.get(i).isNull()) {
        return Optional.of(array.get(i).asDouble());
      }
    }
    return Optional.empty();
  }

  private static double max(JsonNode array) {
    double m = Double.NEGATIVE_INFINITY;
    for (JsonNode n : array) {
      if (!n.isNull()) {
        m = Math.max(m, n.asDouble());
      }
    }
    return m;
  }

  /** Polls {@code /dashboard/api/app} of {@code name} until {@code done}; the last answer. */
  private JsonNode awaitApp(String name, Check done, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = get(name, "/dashboard/api/app");
        if (r.statusCode() == 200) {
          last = JSON.readTree(r.body());
          if (done.test(last)) {
            return last;
          }
        }
      } catch (IOException e) {
        // not up yet
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new AssertionError(
        "the dashboard of " + name + " did not show the whole application; last answer: " + last);
  }

  private HttpResponse<String> get(String name, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(name) + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void startTrainer() throws IOException {
    Map<String, String> c =
        ProcessSettings.trainer(
            kafka.bootstrapServers(), registry.url(), prefix + "-trainer", HISTORY, this::t, dir);
    c.put("http.port", "-1");
    trainer = JvmProcess.withConfig("trainer", TrainerApp.class, "768m", c, dir);
    trainer.start();
  }

  private void start(String name) throws IOException {
    int port = FreePorts.belowEphemeralRange();
    ports.put(name, port);
    Map<String, String> c =
        ProcessSettings.streamApp(
            kafka.bootstrapServers(), registry.url(), prefix + "-app", name, port, this::t, dir);
    c.put("history.size", Integer.toString(HISTORY));
    c.put("dashboard.trainer.group", prefix + "-trainer");
    c.put("dashboard.dead.letter.topics", t("clicks-dlq") + "," + t("training-instances-dlq"));
    JvmProcess p = JvmProcess.withConfig(name, StreamApp.class, "384m", c, dir);
    apps.put(name, p);
    p.start();
  }

  private String t(String name) {
    return prefix + "-" + name;
  }
}
