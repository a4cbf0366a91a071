package dev.freshet.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.streams.retrieval.ItemScore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's web dashboard on 127.0.0.1 (JDK HTTP server): a static page with a hand-written script
 * that draws the charts on {@code <canvas>} (no external assets: the page works offline), and JSON
 * endpoints.
 *
 * <ul>
 *   <li>{@code GET /}: the page; {@code /?user=ID} looks the user up on load;
 *   <li>{@code GET /api/series}: the sampled figures, one array per figure ({@code t} in seconds
 *       since the start; {@code null} where a figure did not exist yet);
 *   <li>{@code GET /api/status}: the run's settings and current figures;
 *   <li>{@code GET /api/users}: users who clicked most recently;
 *   <li>{@code GET /api/users/{id}}: the user's recent clicks and current top-N with scores (from
 *       the stream app's query API), the newest list received on the topic, and the frozen model's
 *       list.
 * </ul>
 */
final class DashboardServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern USER = Pattern.compile("^/api/users/([^/]{1,256})$");
  private static final String ASSETS = "/dev/freshet/cli/demo/dashboard/";
  // The chart code and the style sheet are the stream app's dashboard's (module stream-app).
  private static final String SHARED = "/dev/freshet/streams/dashboard/";
  private static final Map<String, String> STATIC =
      Map.of(
          "/", ASSETS + "index.html",
          "/index.html", ASSETS + "index.html",
          "/dashboard.js", ASSETS + "dashboard.js",
          "/charts.js", SHARED + "charts.js",
          "/dashboard.css", SHARED + "dashboard.css");

  /** What the server shows; implemented by {@link Demo}. */
  interface Backend {
    LiveFigures figures();

    ObjectNode status();

    List<String> recentUsers();

    RecommendationMonitor.Received received(String userId);

    List<ItemScore> frozenList(String userId);

    int streamAppPort();
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Backend backend;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  DashboardServer(int port, Backend backend) throws IOException {
    this.backend = backend;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    this.executor = Executors.newFixedThreadPool(2, r -> daemon(r, "freshet-demo-dashboard"));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      try {
        if (!ex.getRequestMethod().equals("GET")) {
          sendJson(ex, 405, error("only GET is supported"));
          return;
        }
        String asset = STATIC.get(path);
        if (asset != null) {
          asset(ex, asset);
        } else if (path.equals("/api/series")) {
          sendJson(ex, 200, series(backend.figures().points()));
        } else if (path.equals("/api/status")) {
          sendJson(ex, 200, backend.status());
        } else if (path.equals("/api/users")) {
          ArrayNode users = JSON.createArrayNode();
          backend.recentUsers().forEach(users::add);
          sendJson(ex, 200, users);
        } else {
          Matcher m = USER.matcher(path);
          if (m.matches()) {
            sendJson(ex, 200, user(m.group(1)));
          } else {
            sendJson(ex, 404, error("no such path: " + path));
          }
        }
      } catch (RuntimeException e) {
        log.warn("dashboard request {} failed", path, e);
        sendJson(ex, 500, error("internal error: " + e));
      }
    }
  }

  private void asset(HttpExchange ex, String name) throws IOException {
    byte[] body;
    try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard asset missing from the jar: " + name);
      }
      body = in.readAllBytes();
    }
    String type =
        name.endsWith(".html")
            ? "text/html; charset=utf-8"
            : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    send(ex, 200, type, body);
  }

  /** The figures as one array per field, NaN as null. */
  static ObjectNode series(List<LiveFigures.Point> points) {
    ObjectNode out = JSON.createObjectNode();
    var components = LiveFigures.Point.class.getRecordComponents();
    for (var c : components) {
      ArrayNode values = out.putArray(c.getName());
      for (LiveFigures.Point p : points) {
        double v;
        try {
          v = (double) c.getAccessor().invoke(p);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + c.getName(), e);
        }
        if (Double.isFinite(v)) {
          values.add(v);
        } else {
          values.addNull();
        }
      }
    }
    return out;
  }

  private ObjectNode user(String userId) {
    ObjectNode out = JSON.createObjectNode();
    out.put("userId", userId);
    String id = URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20");
    out.set("history", proxy("/users/" + id + "/history"));
    out.set("recommendations", proxy("/users/" + id + "/recommendations"));
    RecommendationMonitor.Received r = backend.received(userId);
    if (r != null) {
      ObjectNode n = out.putObject("received");
      n.put("source", r.source());
      n.put("modelVersion", r.version());
      n.put("eventTime", r.eventTimeMillis());
      n.put("latencyMs", r.receivedAtMillis() - r.eventTimeMillis());
      ArrayNode items = n.putArray("items");
      for (int i = 0; i < r.items().size(); i++) {
        items.addObject().put("videoId", r.items().get(i)).put("score", r.scores().get(i));
      }
    }
    List<ItemScore> frozen = backend.frozenList(userId);
    if (frozen != null) {
      ArrayNode items = out.putObject("frozen").putArray("items");
      for (ItemScore s : frozen) {
        items.addObject().put("videoId", s.itemId()).put("score", s.score());
      }
    }
    return out;
  }

  /** The stream app's JSON answer, or {"error": ...} with its status. */
  private JsonNode proxy(String path) {
    int port = backend.streamAppPort();
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200 && body instanceof ObjectNode o) {
        o.put("status", r.statusCode());
      }
      return body;
    } catch (IOException e) {
      return error("stream app not reachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error("interrupted");
    }
  }

  private static ObjectNode error(String message) {
    ObjectNode n = JSON.createObjectNode();
    n.put("error", message);
    return n;
  }

  private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
