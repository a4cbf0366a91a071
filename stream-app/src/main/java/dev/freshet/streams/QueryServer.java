package dev.freshet.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.Judgement;
import dev.freshet.avro.RecommendedList;
import dev.freshet.avro.UserHistory;
import dev.freshet.data.SafeIds;
import dev.freshet.metrics.PrometheusMeters;
import dev.freshet.model.UserContext;
import dev.freshet.paramlog.InstanceConverter;
import dev.freshet.streams.dashboard.Dashboard;
import dev.freshet.streams.internals.HistoryUpdater;
import dev.freshet.streams.retrieval.ItemScore;
import dev.freshet.streams.serving.ServingModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive queries over HTTP (JSON), answered from this instance's state and served model:
 *
 * <ul>
 *   <li>{@code GET /users/{id}/history}: the user's last clicks and profile;
 *   <li>{@code GET /users/{id}/recommendations?n=N}: top-N from the current model and history;
 *   <li>{@code GET /users/{id}/vector}: the user vector {@code [1, u]};
 *   <li>{@code GET /items/{id}/similar?n=N}: items nearest by inner product;
 *   <li>{@code GET /healthz}, {@code GET /metrics} (Prometheus text from the app's Micrometer
 *       registry: Kafka Streams, JVM and serving meters; docs/operations.md lists them);
 *   <li>{@code GET /dashboard/}: the whole application's dashboard ({@link Dashboard}), when one is
 *       given.
 * </ul>
 *
 * <p>A user's state lives on the instance that owns the user's partition. When several instances
 * run (each with {@code application.server=host:port} of its own server), a request for a user
 * owned elsewhere is forwarded once to the owner. Errors are JSON {@code {"error": "..."}} with 400
 * (bad id or parameter: empty, over 256 characters, unsafe code points, bad percent-encoding,
 * {@code n} not in 1..1000), 404 (unknown user, item or path), 405 (not GET, with {@code Allow:
 * GET}), 414 (path and query over 4096 raw characters), 503 (state or model not ready). The work
 * per bad request is bounded: ids and the URI are checked by length before anything is decoded,
 * parameters before any store or model is touched, and at most 64 characters of client input are
 * echoed back, with unsafe code points escaped.
 */
public final class QueryServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QueryServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern USER =
      Pattern.compile("^/users/([^/]+)/(history|recommendations|vector)$");
  private static final Pattern ITEM = Pattern.compile("^/items/([^/]+)/similar$");
  private static final String FORWARDED = "X-Freshet-Forwarded";
  private static final int MAX_N = 1000;
  private static final int MAX_ID_CHARS = 256;

  /** Longest raw (percent-encoded) path or query accepted; anything longer is a 414. */
  static final int MAX_RAW_URI_CHARS = 4096;

  /** Longest piece of client input echoed back in an error message. */
  private static final int MAX_ECHO = 64;

  private final HttpServer server;
  private final KafkaStreams streams;
  private final ServingModel model;
  private final PrometheusMeters meters;
  private final Dashboard dashboard;
  private final StreamAppConfig config;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** An error that maps to an HTTP status. */
  static final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  public QueryServer(
      String host,
      int port,
      KafkaStreams streams,
      ServingModel model,
      StreamAppConfig config,
      PrometheusMeters meters,
      Dashboard dashboard)
      throws IOException {
    this.meters = Objects.requireNonNull(meters, "meters");
    this.dashboard = dashboard;
    this.streams = streams;
    this.model = model;
    this.config = config;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "freshet-query-http");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
    log.info("interactive queries at http://{}:{}/", host, port());
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        if (!ex.getRequestMethod().equals("GET")) {
          ex.getResponseHeaders().set("Allow", "GET");
          throw new HttpError(
              405, "method " + echo(ex.getRequestMethod()) + " is not allowed; only GET is");
        }
        URI uri = ex.getRequestURI();
        String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        if (rawPath.length() + rawQuery.length() > MAX_RAW_URI_CHARS) {
          throw new HttpError(
              414,
              "request URI is "
                  + (rawPath.length() + rawQuery.length())
                  + " chars, longer than "
                  + MAX_RAW_URI_CHARS);
        }
        String path = rawPath;
        Map<String, String> query = query(uri.getRawQuery());
        if (path.equals("/healthz")) {
          health(ex);
          return;
        }
        if (path.equals("/metrics")) {
          send(ex, 200, PrometheusMeters.CONTENT_TYPE, meters.scrape());
          return;
        }
        if (dashboard != null && Dashboard.owns(path)) {
          if (path.equals("/dashboard")) {
            ex.getResponseHeaders().set("Location", "/dashboard/");
            send(ex, 302, "text/plain; charset=utf-8", new byte[0]);
            return;
          }
          Optional<Dashboard.Response> r = dashboard.get(path);
          if (r.isEmpty()) {
            throw new HttpError(
                404,
                "no such path: "
                    + echo(decode(path, "path"))
                    + " (the dashboard is /dashboard/, its data /dashboard/api/app)");
          }
          send(ex, r.get().status(), r.get().type(), r.get().body());
          return;
        }
        Matcher u = USER.matcher(path);
        if (u.matches()) {
          user(ex, id(u.group(1), "user id"), u.group(2), query);
          return;
        }
        Matcher i = ITEM.matcher(path);
        if (i.matches()) {
          similar(ex, id(i.group(1), "item id"), query);
          return;
        }
        throw new HttpError(
            404,
            "no such path: "
                + echo(decode(path, "path"))
                + " (try /users/{id}/history, /users/{id}/recommendations, /users/{id}/vector,"
                + " /items/{id}/similar, /healthz, /metrics, /dashboard/)");
      } catch (HttpError e) {
        sendJson(ex, e.status, error(e.getMessage()));
      } catch (RuntimeException e) {
        log.warn("query {} failed", ex.getRequestURI(), e);
        sendJson(ex, 500, error("internal error: " + e));
      }
    }
  }

  private void user(HttpExchange ex, String userId, String what, Map<String, String> query)
      throws IOException, HttpError {
    int topN = intParam(query, "n", config.getInt(StreamAppConfig.RECOMMENDATIONS_SIZE));
    KeyQueryMetadata meta;
    try {
      meta =
          streams.queryMetadataForKey(
              FreshetTopology.HISTORY_STORE, userId, Serdes.String().serializer());
    } catch (IllegalStateException | InvalidStateStoreException e) {
      // Not started, rebalancing, shutting down: the caller may retry, the server is not broken.
      throw new HttpError(503, "state is not queryable yet: " + e.getMessage());
    }
    if (meta != null
        && meta != KeyQueryMetadata.NOT_AVAILABLE
        && !isLocal(meta.activeHost())
        && ex.getRequestHeaders().getFirst(FORWARDED) == null) {
      forward(ex, meta.activeHost());
      return;
    }
    UserHistory history = history(userId);
    switch (what) {
      case "history" ->
          sendJson(
              ex, 200, historyJson(history, HistoryUpdater.lastList(lastList(userId), history)));
      case "vector" -> {
        ServingModel.Batch b = score(history, 1);
        ObjectNode n = JSON.createObjectNode();
        n.put("userId", userId);
        n.put("modelVersion", b.version());
        ArrayNode v = n.putArray("vector");
        for (float f : b.users().get(0).userVector()) {
          v.add(f);
        }
        sendJson(ex, 200, n);
      }
      default -> {
        ServingModel.Batch b = score(history, topN);
        ObjectNode out = JSON.createObjectNode();
        out.put("userId", userId);
        out.put("modelVersion", b.version());
        out.set("items", items(b.users().get(0).items()));
        sendJson(ex, 200, out);
      }
    }
  }

  private ServingModel.Batch score(UserHistory h, int n) throws HttpError {
    UserContext ctx =
        InstanceConverter.toContext(
            h.getUserId(), h.getProvince(), h.getCity(), h.getPhone(), h.getClicks());
    Set<String> exclude = new HashSet<>();
    if (config.getBoolean(StreamAppConfig.EXCLUDE_SEEN)) {
      h.getClicks().forEach(c -> exclude.add(c.getVideoId()));
    }
    return model
        .score(List.of(ctx), List.of(exclude), n)
        .orElseThrow(
            () -> new HttpError(503, "no model snapshot with items has been published yet"));
  }

  private UserHistory history(String userId) throws HttpError {
    UserHistory h = this.<UserHistory>store(FreshetTopology.HISTORY_STORE).get(userId);
    if (h == null) {
      throw new HttpError(404, "unknown user: " + userId);
    }
    return h;
  }

  /** The user's list in {@code last-recommended}; null when there is none there. */
  private RecommendedList lastList(String userId) throws HttpError {
    return this.<RecommendedList>store(FreshetTopology.LAST_LIST_STORE).get(userId);
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) throws HttpError {
    try {
      return streams.store(
          StoreQueryParameters.fromNameAndType(
              name, QueryableStoreTypes.<String, V>keyValueStore()));
    } catch (RuntimeException e) {
      throw new HttpError(503, "state is not queryable yet (" + streams.state() + ")");
    }
  }

  private void similar(HttpExchange ex, String itemId, Map<String, String> query)
      throws IOException, HttpError {
    int n = intParam(query, "n", 10);
    if (model.version() < 0) {
      throw new HttpError(503, "no model snapshot has been published yet");
    }
    Optional<List<ItemScore>> similar = model.similar(itemId, n);
    if (similar.isEmpty()) {
      throw new HttpError(404, "unknown item (not admitted to the model): " + itemId);
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("itemId", itemId);
    out.put("modelVersion", model.version());
    out.set("items", items(similar.get()));
    sendJson(ex, 200, out);
  }

  private void health(HttpExchange ex) throws IOException {
    KafkaStreams.State state = streams.state();
    boolean ok = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    ObjectNode n = JSON.createObjectNode();
    n.put("status", ok ? "UP" : "DOWN");
    n.put("streams", state.name());
    n.put("modelVersion", model.version());
    n.put("items", model.items());
    sendJson(ex, ok ? 200 : 503, n);
  }

  private boolean isLocal(HostInfo host) {
    return isLocal(config, host);
  }

  /**
   * Whether {@code host} of Kafka Streams' metadata is the instance configured by {@code config}:
   * always when it names no {@code application.server} (one instance).
   */
  public static boolean isLocal(StreamAppConfig config, HostInfo host) {
    Object self = config.originals().get("application.server");
    return self == null
        || host == null
        || HostInfo.unavailable().equals(host)
        || self.toString().equals(host.host() + ":" + host.port());
  }

  private void forward(HttpExchange ex, HostInfo owner) throws IOException, HttpError {
    URI target = URI.create("http://" + owner.host() + ":" + owner.port() + ex.getRequestURI());
    try {
      HttpResponse<byte[]> r =
          client.send(
              HttpRequest.newBuilder(target)
                  .header(FORWARDED, "1")
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      ex.getResponseHeaders()
          .set("Content-Type", r.headers().firstValue("Content-Type").orElse("application/json"));
      ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "interrupted forwarding to " + owner);
    } catch (IOException e) {
      throw new HttpError(
          503,
          "the owner of this user ("
              + owner.host()
              + ":"
              + owner.port()
              + ") is unreachable: "
              + e.getMessage());
    }
  }

  private static ObjectNode historyJson(UserHistory h, RecommendedList list) {
    ObjectNode n = JSON.createObjectNode();
    n.put("userId", h.getUserId());
    n.put("province", h.getProvince());
    n.put("city", h.getCity());
    n.put("phone", h.getPhone());
    n.put("totalClicks", h.getTotalClicks());
    ArrayNode clicks = n.putArray("clicks");
    for (ClickedItem c : h.getClicks()) {
      ObjectNode cn = clicks.addObject();
      cn.put("videoId", c.getVideoId());
      cn.put("category", c.getCategory());
      ArrayNode tags = cn.putArray("tags");
      c.getTags().forEach(tags::add);
      cn.put("eventTime", c.getEventTime().toString());
    }
    // The list the user's next click will be judged against (prequential quality).
    ArrayNode last = n.putArray("lastRecommended");
    if (list != null) {
      list.getItemIds().forEach(last::add);
    }
    n.put("lastRecommendedVersion", list == null ? null : list.getModelVersion());
    Judgement j = h.getLastJudgement();
    if (j == null) {
      n.putNull("lastJudgement");
    } else {
      n.putObject("lastJudgement")
          .put("hit", j.getHit())
          .put("rank", j.getRank())
          .put("modelVersion", j.getModelVersion())
          .put("listSize", j.getListSize());
    }
    return n;
  }

  private static ArrayNode items(List<ItemScore> items) {
    ArrayNode a = JSON.createArrayNode();
    for (ItemScore s : items) {
      a.addObject().put("videoId", s.itemId()).put("score", s.score());
    }
    return a;
  }

  /**
   * A path segment as an id: percent-decoded, 1..256 characters, and free of the code points {@link
   * SafeIds} rejects (the same rule the stream app applies to the ids it stores, so such an id can
   * never name a user or item). An over-long id is rejected from its raw length, before decoding.
   */
  static String id(String raw, String what) throws HttpError {
    if (raw.length() > 3 * MAX_ID_CHARS) {
      throw new HttpError(
          400, what + " must be 1.." + MAX_ID_CHARS + " characters, was " + raw.length() + " raw");
    }
    String id = decode(raw, what);
    if (id.isBlank() || id.length() > MAX_ID_CHARS) {
      throw new HttpError(
          400, what + " must be 1.." + MAX_ID_CHARS + " characters, was " + id.length());
    }
    Optional<String> unsafe = SafeIds.problem(what, id);
    if (unsafe.isPresent()) {
      throw new HttpError(400, unsafe.get());
    }
    return id;
  }

  private static String decode(String raw, String what) throws HttpError {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, what + " is not valid percent-encoding: " + e.getMessage());
    }
  }

  /** {@code s} cut to a few dozen characters with its unsafe code points escaped, for messages. */
  static String echo(String s) {
    StringBuilder sb = new StringBuilder("'");
    int n = Math.min(s.length(), MAX_ECHO);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (SafeIds.problem("", String.valueOf(c)).isPresent()) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('\'');
    if (s.length() > MAX_ECHO) {
      sb.append(" (").append(s.length()).append(" chars, cut)");
    }
    return sb.toString();
  }

  private static int intParam(Map<String, String> query, String name, int dflt) throws HttpError {
    String v = query.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > MAX_N) {
        throw new HttpError(400, name + " must be between 1 and " + MAX_N + ", was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + " must be an integer, was " + echo(v));
    }
  }

  private static Map<String, String> query(String raw) throws HttpError {
    Map<String, String> m = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = decode(eq < 0 ? kv : kv.substring(0, eq), "query parameter");
      String v = eq < 0 ? "" : decode(kv.substring(eq + 1), "query parameter");
      m.put(k, v);
    }
    return m;
  }

  private static String sanitize(String s) {
    return s.replaceAll("[^a-zA-Z0-9_]", "_");
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsString(body));
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] bytes)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    if (dashboard != null) {
      dashboard.close();
    }
  }
}
