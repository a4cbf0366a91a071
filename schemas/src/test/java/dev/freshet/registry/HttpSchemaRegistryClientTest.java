package dev.freshet.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP client against a scripted JDK HTTP server: retries, auth, error mapping, caching. */
class HttpSchemaRegistryClientTest {

  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");

  private record Answer(int status, String body) {}

  private record Seen(
      String method, String path, String contentType, String authorization, String body) {}

  private HttpServer server;
  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<Seen> seen = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Answer answer;
    synchronized (this) {
      seen.add(
          new Seen(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              exchange.getRequestHeaders().getFirst("Authorization"),
              body));
      answer =
          script.isEmpty()
              ? new Answer(500, "{\"error_code\":50001,\"message\":\"unscripted\"}")
              : script.poll();
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private synchronized void answer(int status, String body) {
    script.add(new Answer(status, body));
  }

  private synchronized List<Seen> seen() {
    return List.copyOf(seen);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private SchemaRegistryClient client(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.putIfAbsent("schema.registry.url", url());
    config.put("retries.wait.ms", 1);
    config.put("retries.max.wait.ms", 4);
    return SchemaRegistryClients.create(config);
  }

  @Test
  void shouldRegisterWithConfluentMediaTypeAndSchemaBody() {
    answer(200, "{\"id\":7}");
    try (SchemaRegistryClient client = client(Map.of())) {
      assertThat(client.register("my topic-value", SCHEMA)).isEqualTo(7);
    }
    Seen request = seen().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/subjects/my%20topic-value/versions");
    assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(request.body()).contains("\"schema\"").contains("\\\"name\\\":\\\"A\\\"");
  }

  @Test
  void shouldRetryOn5xxThenSucceed() {
    answer(503, "{\"error_code\":50001,\"message\":\"store down\"}");
    answer(500, "not json at all");
    answer(200, "{\"schema\":" + quoted(SCHEMA.toString()) + "}");
    try (SchemaRegistryClient client = client(Map.of("max.retries", 3))) {
      assertThat(client.getSchemaById(1)).isEqualTo(SCHEMA);
    }
    assertThat(seen()).hasSize(3);
  }

  @Test
  void shouldGiveUpAfterBoundedRetriesAsUnavailable() {
    for (int i = 0; i < 5; i++) {
      answer(500, "{\"error_code\":50001,\"message\":\"store down\"}");
    }
    try (SchemaRegistryClient client = client(Map.of("max.retries", 2))) {
      assertThatThrownBy(() -> client.getSchemaById(1))
          .isInstanceOfSatisfying(
              RegistryException.class,
              e -> {
                assertThat(e.isUnavailable()).isTrue();
                assertThat(e.httpStatus()).isEqualTo(500);
                assertThat(e.errorCode()).isEqualTo(RegistryException.STORE_ERROR);
                assertThat(e.getMessage()).contains("3 attempts").contains("store down");
              });
    }
    assertThat(seen()).hasSize(3);
  }

  @Test
  void shouldNotRetryClientErrorsAndMapConfluentErrorCodes() {
    answer(404, "{\"error_code\":40401,\"message\":\"Subject 'x' not found.\"}");
    answer(404, "{\"error_code\":40403,\"message\":\"Schema 9 not found\"}");
    answer(409, "{\"error_code\":409,\"message\":\"incompatible\"}");
    answer(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
    try (SchemaRegistryClient client = client(Map.of("max.retries", 3))) {
      assertThatThrownBy(() -> client.getLatestSchemaMetadata("x"))
          .isInstanceOfSatisfying(
              RegistryException.class,
              e -> {
                assertThat(e.isSubjectNotFound()).isTrue();
                assertThat(e.httpStatus()).isEqualTo(404);
                assertThat(e.isUnavailable()).isFalse();
              });
      assertThatThrownBy(() -> client.getSchemaById(9))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.isSchemaNotFound()).isTrue());
      assertThatThrownBy(() -> client.register("x", SCHEMA))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.isIncompatible()).isTrue());
      assertThatThrownBy(() -> client.register("y", SCHEMA))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.isInvalidSchema()).isTrue());
    }
    assertThat(seen()).hasSize(4);
  }

  @Test
  void shouldSendBasicAuthFromUserInfo() {
    answer(200, "[\"a\",\"b\"]");
    try (SchemaRegistryClient client =
        client(
            Map.of(
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "fred:s3cret"))) {
      assertThat(client.listSubjects()).containsExactly("a", "b");
    }
    assertThat(seen().get(0).authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("fred:s3cret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldSendBasicAuthFromUrlUserInfoAndNotLeakItIntoThePath() {
    answer(200, "{\"compatibilityLevel\":\"FULL\"}");
    String withUser = url().replace("http://", "http://ann:pw@");
    try (SchemaRegistryClient client = client(Map.of("schema.registry.url", withUser))) {
      assertThat(client.getGlobalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
    }
    assertThat(seen().get(0).authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8)));
    assertThat(seen().get(0).path()).isEqualTo("/config");
  }

  @Test
  void shouldFailOverToNextUrlWhenOneIsDown() throws IOException {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    answer(200, "{\"id\":3}");
    try (SchemaRegistryClient client =
        client(Map.of("schema.registry.url", "http://127.0.0.1:" + deadPort + "," + url()))) {
      assertThat(client.register("s", SCHEMA)).isEqualTo(3);
    }
    assertThat(seen()).hasSize(1);
  }

  @Test
  void shouldCacheSchemasByIdAndIdsBySubjectAndSchema() {
    answer(200, "{\"id\":5}");
    try (SchemaRegistryClient client = client(Map.of())) {
      assertThat(client.register("s", SCHEMA)).isEqualTo(5);
      assertThat(client.register("s", SCHEMA)).isEqualTo(5);
      assertThat(client.getSchemaById(5)).isEqualTo(SCHEMA);
    }
    assertThat(seen()).hasSize(1);
  }

  @Test
  void shouldTreatMissingSubjectAsCompatibleAndParseVerdicts() {
    answer(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");
    answer(200, "{\"is_compatible\":false}");
    try (SchemaRegistryClient client = client(Map.of())) {
      assertThat(client.testCompatibility("new", SCHEMA)).isTrue();
      assertThat(client.testCompatibility("old", SCHEMA)).isFalse();
    }
    assertThat(seen().get(1).path()).isEqualTo("/compatibility/subjects/old/versions/latest");
  }

  @Test
  void shouldSetAndReadCompatibilityLevels() {
    answer(200, "{\"compatibility\":\"NONE\"}");
    answer(404, "{\"error_code\":40408,\"message\":\"no subject level\"}");
    answer(200, "{\"compatibilityLevel\":\"BACKWARD\"}");
    try (SchemaRegistryClient client = client(Map.of())) {
      client.setCompatibility("s", CompatibilityLevel.NONE);
      assertThat(client.getCompatibility("t")).isEqualTo(CompatibilityLevel.BACKWARD);
    }
    List<Seen> requests = seen();
    assertThat(requests.get(0).method()).isEqualTo("PUT");
    assertThat(requests.get(0).path()).isEqualTo("/config/s");
    assertThat(requests.get(0).body()).isEqualTo("{\"compatibility\":\"NONE\"}");
    assertThat(requests.get(2).path()).isEqualTo("/config");
  }

  @Test
  void shouldLookUpAndDeleteSubjects() {
    answer(
        200,
        "{\"subject\":\"s\",\"version\":2,\"id\":9,\"schema\":" + quoted(SCHEMA.toString()) + "}");
    answer(200, "[1,2]");
    try (SchemaRegistryClient client = client(Map.of())) {
      assertThat(client.lookup("s", SCHEMA)).isEqualTo(new SchemaMetadata("s", 2, 9, SCHEMA));
      assertThat(client.deleteSubject("s")).containsExactly(1, 2);
    }
    assertThat(seen().get(0).path()).isEqualTo("/subjects/s");
    assertThat(seen().get(1).method()).isEqualTo("DELETE");
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
