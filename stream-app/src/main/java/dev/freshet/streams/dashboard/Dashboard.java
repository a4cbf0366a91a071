package dev.freshet.streams.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.avro.SnapshotManifest;
import dev.freshet.streams.ops.GroupLag;
import dev.freshet.streams.serving.ServingModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream app's dashboard: a page (no external assets) and its JSON, served by the query server
 * under {@code /dashboard/}. Any instance shows the whole application: it asks the other instances
 * (the hosts Kafka Streams' metadata names, as the query API forwards) for their own figures and
 * merges them with its own; what Kafka knows (group lag, dead letters) it looks up itself.
 *
 * <ul>
 *   <li>{@code GET /dashboard/}: the page; {@code /dashboard/?user=ID} looks the user up on load;
 *   <li>{@code GET /dashboard/api/app}: the whole application: merged series, cluster series,
 *       instances, model, groups, quality per model version, dead letters, problems;
 *   <li>{@code GET /dashboard/api/local}: this instance's own points and figures (what other
 *       instances ask for).
 * </ul>
 */
public final class Dashboard implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ASSETS = "/dev/freshet/streams/dashboard/";

  /** The page's files. */
  public static final Map<String, String> ASSET_TYPES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "charts.js", "text/javascript; charset=utf-8",
          "dashboard.css", "text/css; charset=utf-8");

  /** An answer: status, content type, body. */
  public record Response(int status, String type, byte[] body) {}

  private final KafkaStreams streams;
  private final ServingModel model;
  private final InstanceSampler sampler;
  private final ClusterWatch cluster;
  private final Predicate<HostInfo> isLocal;
  private final String applicationId;
  private final int k;
  private final ScheduledExecutorService timer;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * Starts sampling: this instance's figures every second, the cluster every five.
   *
   * @param isLocal whether a host of the metadata is this instance
   * @param k the length of the lists judged (for labels)
   */
  public Dashboard(
      KafkaStreams streams,
      ServingModel model,
      ClusterWatch cluster,
      Predicate<HostInfo> isLocal,
      String applicationId,
      int k) {
    this.streams = streams;
    this.model = model;
    this.sampler = new InstanceSampler(streams::metrics, model);
    this.cluster = cluster;
    this.isLocal = isLocal;
    this.applicationId = applicationId;
    this.k = k;
    this.timer =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "freshet-dashboard");
              t.setDaemon(true);
              return t;
            });
    long toNextSecond = 1000 - System.currentTimeMillis() % 1000;
    timer.scheduleAtFixedRate(
        () -> guarded(() -> sampler.sample(epochSecond())),
        toNextSecond,
        1000,
        TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(
        () -> guarded(() -> cluster.look(epochSecond())), 0, 5, TimeUnit.SECONDS);
  }

  private static long epochSecond() {
    return Math.round(System.currentTimeMillis() / 1000.0);
  }

  private static void guarded(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("dashboard sampling failed (it goes on at the next tick)", e);
    }
  }

  /** Whether {@code path} is the dashboard's. */
  public static boolean owns(String path) {
    return path.equals("/dashboard") || path.startsWith("/dashboard/");
  }

  /**
   * Answers a GET of {@code path} (one {@link #owns} accepted), or empty for an unknown path under
   * {@code /dashboard/} (a 404 for the caller).
   */
  public Optional<Response> get(String path) throws IOException {
    String rest = path.equals("/dashboard") ? "" : path.substring("/dashboard/".length());
    if (rest.isEmpty()) {
      rest = "index.html";
    }
    String type = ASSET_TYPES.get(rest);
    if (type != null) {
      return Optional.of(new Response(200, type, asset(rest)));
    }
    return switch (rest) {
      case "api/local" -> Optional.of(json(local()));
      case "api/app" -> Optional.of(json(app()));
      default -> Optional.empty();
    };
  }

  private static byte[] asset(String name) throws IOException {
    try (InputStream in = Dashboard.class.getResourceAsStream(ASSETS + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard asset missing from the jar: " + name);
      }
      return in.readAllBytes();
    }
  }

  private static Response json(JsonNode body) throws IOException {
    return new Response(200, "application/json", JSON.writeValueAsBytes(body));
  }

  /** This instance's figures. */
  private ObjectNode local() {
    ObjectNode out = JSON.createObjectNode();
    out.put("state", streams.state().toString());
    out.put("servedVersion", model.version());
    out.set("versions", JSON.valueToTree(sampler.versions()));
    out.set("points", JSON.valueToTree(sampler.points(Long.MIN_VALUE)));
    return out;
  }

  /** One instance as seen from here. */
  private record Seen(
      String host,
      boolean local,
      String state,
      long servedVersion,
      List<InstanceSampler.Point> points,
      List<InstanceSampler.VersionQuality> versions,
      String error) {}

  private List<Seen> instances() {
    List<Seen> seen = new ArrayList<>();
    seen.add(
        new Seen(
            "this instance",
            true,
            streams.state().toString(),
            model.version(),
            sampler.points(Long.MIN_VALUE),
            sampler.versions(),
            null));
    Map<String, CompletableFuture<HttpResponse<byte[]>>> asked = new TreeMap<>();
    Collection<StreamsMetadata> metadata;
    try {
      metadata = streams.metadataForAllStreamsClients();
    } catch (RuntimeException e) {
      metadata = List.of();
    }
    for (StreamsMetadata m : metadata) {
      HostInfo h = m.hostInfo();
      if (h == null || h.port() <= 0 || isLocal.test(h)) {
        continue;
      }
      String host = h.host() + ":" + h.port();
      asked.put(
          host,
          client.sendAsync(
              HttpRequest.newBuilder(URI.create("http://" + host + "/dashboard/api/local"))
                  .timeout(Duration.ofSeconds(2))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray()));
    }
    asked.forEach(
        (host, answer) -> {
          try {
            HttpResponse<byte[]> r = answer.get(3, TimeUnit.SECONDS);
            if (r.statusCode() != 200) {
              seen.add(
                  new Seen(
                      host, false, "unknown", -1, List.of(), List.of(), "HTTP " + r.statusCode()));
              return;
            }
            JsonNode n = JSON.readTree(r.body());
            seen.add(
                new Seen(
                    host,
                    false,
                    n.path("state").asText("unknown"),
                    n.path("servedVersion").asLong(-1),
                    List.of(JSON.treeToValue(n.path("points"), InstanceSampler.Point[].class)),
                    List.of(
                        JSON.treeToValue(
                            n.path("versions"), InstanceSampler.VersionQuality[].class)),
                    null));
          } catch (Exception e) {
            if (e instanceof InterruptedException) {
              Thread.currentThread().interrupt();
            }
            seen.add(
                new Seen(host, false, "unknown", -1, List.of(), List.of(), "not reachable: " + e));
          }
        });
    return seen;
  }

  /** The whole application. */
  ObjectNode app() {
    long now = System.currentTimeMillis();
    List<Seen> seen = instances();
    ObjectNode out = JSON.createObjectNode();
    out.put("applicationId", applicationId);
    out.put("k", k);
    out.put("now", now);
    List<List<InstanceSampler.Point>> all = new ArrayList<>();
    seen.forEach(s -> all.add(s.points()));
    out.set("series", SeriesMerge.merge(seen.get(0).points(), all));
    ObjectNode c = out.putObject("cluster");
    ArrayNode ct = c.putArray("t");
    ArrayNode appLag = c.putArray("appLag");
    ArrayNode trainerLag = c.putArray("trainerLag");
    for (ClusterWatch.Point p : cluster.points(Long.MIN_VALUE)) {
      ct.add(p.t());
      nullIfNegative(appLag, p.appLag());
      nullIfNegative(trainerLag, p.trainerLag());
    }
    List<String> problems = new ArrayList<>();
    ArrayNode instances = out.putArray("instances");
    for (Seen s : seen) {
      ObjectNode i = instances.addObject();
      i.put("host", s.host());
      i.put("local", s.local());
      i.put("state", s.state());
      i.put("servedVersion", s.servedVersion());
      if (s.error() != null) {
        i.put("error", s.error());
        problems.add("instance " + s.host() + ": " + s.error());
      } else if (!s.state().equals("RUNNING")) {
        problems.add("instance " + s.host() + " is " + s.state());
      }
    }
    model.served().ifPresent(sv -> out.set("model", model(sv, now)));
    if (model.served().isEmpty()) {
      problems.add("no model snapshot served yet (popularity lists until the trainer publishes)");
    }
    ObjectNode groups = out.putObject("groups");
    cluster.app().ifPresent(g -> groups.set("streamApp", group(g)));
    cluster.trainer().ifPresent(g -> groups.set("trainer", group(g)));
    cluster
        .app()
        .filter(g -> g.members() == 0)
        .ifPresent(
            g ->
                problems.add("stream app group " + g.id() + " has no members (" + g.state() + ")"));
    cluster
        .trainer()
        .filter(g -> g.members() == 0)
        .ifPresent(
            g ->
                problems.add(
                    "trainer group " + g.id() + " has no running trainer (" + g.state() + ")"));
    out.set("versions", versions(seen));
    ArrayNode dl = out.putArray("deadLetters");
    cluster
        .deadLetters(now)
        .forEach(
            (key, counts) -> {
              int sp = key.indexOf(' ');
              dl.addObject()
                  .put("topic", key.substring(0, sp))
                  .put("reason", key.substring(sp + 1))
                  .put("lastHour", counts[0])
                  .put("last5Min", counts[1]);
            });
    problems.addAll(cluster.problems());
    ArrayNode p = out.putArray("problems");
    problems.forEach(p::add);
    return out;
  }

  private static ObjectNode model(ServingModel.Served sv, long now) {
    SnapshotManifest m = sv.manifest();
    ObjectNode n = JSON.createObjectNode();
    n.put("version", m.getVersion());
    n.put("instancesApplied", m.getInstancesApplied());
    if (m.getLoss() != null) {
      n.put("loss", m.getLoss());
    }
    n.put("items", m.getItemCount());
    n.put("writtenAt", m.getCreatedAt().toEpochMilli());
    n.put("ageMs", now - m.getCreatedAt().toEpochMilli());
    n.put("maxEventTime", m.getMaxEventTime());
    n.put("servedSince", sv.sinceMillis());
    n.put("writtenToServedMs", sv.sinceMillis() - m.getCreatedAt().toEpochMilli());
    if (m.getRolledBackFrom() != null) {
      n.put("rolledBackFrom", m.getRolledBackFrom());
    }
    return n;
  }

  private static ObjectNode group(GroupLag.Group g) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", g.id());
    n.put("state", g.state());
    n.put("members", g.members());
    n.put("lag", g.lag());
    ArrayNode parts = n.putArray("partitions");
    for (GroupLag.PartitionLag p : g.partitions()) {
      parts
          .addObject()
          .put("topic", p.partition().topic())
          .put("partition", p.partition().partition())
          .put("lag", p.lag());
    }
    return n;
  }

  /** Quality per model version, summed over the instances, newest version first. */
  private static ArrayNode versions(List<Seen> seen) {
    TreeMap<Long, double[]> sums = new TreeMap<>();
    for (Seen s : seen) {
      for (InstanceSampler.VersionQuality q : s.versions()) {
        double[] a = sums.computeIfAbsent(q.version(), v -> new double[3]);
        a[0] += q.judged();
        a[1] += q.hits();
        a[2] += q.ndcgSum();
      }
    }
    ArrayNode out = JSON.createArrayNode();
    sums.descendingMap()
        .forEach(
            (v, a) -> {
              ObjectNode n = out.addObject();
              n.put("version", v);
              n.put("judged", (long) a[0]);
              if (a[0] > 0) {
                n.put("hr", a[1] / a[0]);
                n.put("ndcg", a[2] / a[0]);
              }
            });
    return out;
  }

  private static void nullIfNegative(ArrayNode a, long v) {
    if (v < 0) {
      a.addNull();
    } else {
      a.add(v);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cluster.close();
  }
}
