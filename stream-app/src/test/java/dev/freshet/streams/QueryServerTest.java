package dev.freshet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.metrics.PrometheusMeters;
import dev.freshet.streams.serving.ServingModel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad requests against the query server: each gets a 4xx JSON error with a clear message, decided
 * before any state store or model is touched (the streams instance here is never started, so a
 * request that got as far as the state would answer 503 instead).
 */
class QueryServerTest {

  @TempDir Path state;
  private KafkaStreams streams;
  private QueryServer server;
  private PrometheusMeters meters;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put(StreamAppConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1");
    props.put(StreamAppConfig.SCHEMA_REGISTRY_URL, "mock://" + UUID.randomUUID());
    props.put(StreamAppConfig.APPLICATION_ID, "query-test");
    props.put(StreamAppConfig.STATE_DIR, state.toString());
    StreamAppConfig config = new StreamAppConfig(props);
    ServingModel model = new ServingModel(1000);
    streams = new KafkaStreams(FreshetTopology.build(config, model), config.streamsProperties());
    meters = new PrometheusMeters("stream-app");
    server = new QueryServer("127.0.0.1", 0, streams, model, config, meters, null);
  }

  @AfterEach
  void tearDown() {
    server.close();
    streams.close();
    meters.close();
  }

  @Test
  void shouldRejectAnOverLongIdWithItsLengthNotItsContent() throws Exception {
    HttpResponse<String> r = get("/users/" + "x".repeat(300) + "/history");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.body()).isEqualTo("{\"error\":\"user id must be 1..256 characters, was 300\"}");

    HttpResponse<String> raw = get("/items/" + "%41".repeat(1000) + "/similar");
    assertThat(raw.statusCode()).isEqualTo(400);
    assertThat(raw.body()).contains("item id must be 1..256 characters, was 3000 raw");
  }

  @Test
  void shouldRejectAnIdWithAControlCharacterNamingTheCodePoint() throws Exception {
    HttpResponse<String> r = get("/users/ab%07c/recommendations");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("user id contains control character U+0007 at index 2");
    assertThat(get("/items/v%E2%80%AE1/similar").body())
        .contains("item id contains bidirectional control U+202E at index 1");
  }

  @Test
  void shouldRejectBadPercentEncodingAs400NotAServerError() throws Exception {
    // Malformed escapes never reach the handler: the JDK server answers 400 itself.
    assertThat(rawGet("/users/%zz/history")).startsWith("HTTP/1.1 400");
    assertThat(rawGet("/users/u1/recommendations?n=%G1")).startsWith("HTTP/1.1 400");
    // Well-formed escapes of bytes that are not UTF-8 decode to U+FFFD, which no id may carry.
    HttpResponse<String> r = get("/users/a%C3%28/history");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .contains("user id contains replacement character U+FFFD at index 1")
        .contains("not valid UTF-8");
  }

  @Test
  void shouldRejectABadNBeforeLookingTheUserUp() throws Exception {
    assertThat(get("/users/u1/recommendations?n=abc").body())
        .isEqualTo("{\"error\":\"n must be an integer, was 'abc'\"}");
    assertThat(get("/users/u1/recommendations?n=0").body())
        .contains("n must be between 1 and 1000, was 0");
    assertThat(get("/users/u1/recommendations?n=1001").statusCode()).isEqualTo(400);
    assertThat(get("/items/v1/similar?n=-5").statusCode()).isEqualTo(400);
    HttpResponse<String> huge = get("/users/u1/recommendations?n=" + "9".repeat(2000));
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(huge.body()).contains("(2000 chars, cut)").hasSizeLessThan(200);
  }

  @Test
  void shouldAnswerUnknownPathsWith404ListingThePathsThereAre() throws Exception {
    HttpResponse<String> r = get("/users/u1/passwords");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no such path: '/users/u1/passwords'").contains("/healthz");
    HttpResponse<String> ctl = get("/nope%0Aforged-log-line");
    assertThat(ctl.statusCode()).isEqualTo(404);
    assertThat(ctl.body()).contains("\\\\u000A").doesNotContain("\\n");
  }

  @Test
  void shouldRejectMethodsOtherThanGetWith405AndAllow() throws Exception {
    for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri("/users/u1/history"))
                  .method(method, HttpRequest.BodyPublishers.ofString("x".repeat(10_000)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).contains("GET");
      assertThat(r.body()).contains("method '" + method + "' is not allowed; only GET is");
    }
  }

  @Test
  void shouldRejectAnOverLongUriWith414() throws Exception {
    HttpResponse<String> r = get("/users/u1/history?pad=" + "a".repeat(5000));
    assertThat(r.statusCode()).isEqualTo(414);
    assertThat(r.body()).contains("longer than 4096");
  }

  @Test
  void shouldAnswer503NotHangWhenTheStateIsNotQueryable() throws Exception {
    HttpResponse<String> r = get("/users/u1/history");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).startsWith("{\"error\":\"state is not queryable yet");
  }

  @Test
  void shouldAnswerARawRequestWithAControlCharacterInThePathWithoutAServerError() throws Exception {
    assertThat(rawGet("/users/a\u0001b/history")).startsWith("HTTP/1.1 4");
  }

  /** A request written on a socket, for targets that {@link URI} refuses to build. */
  private String rawGet(String target) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
