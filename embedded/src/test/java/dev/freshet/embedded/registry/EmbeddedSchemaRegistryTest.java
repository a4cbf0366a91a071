package dev.freshet.embedded.registry;

import static dev.freshet.embedded.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.embedded.registry.internals.InMemorySchemaLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's REST behaviour over an in-memory schema log (restarts keep the log). */
class EmbeddedSchemaRegistryTest {

  static final String V1 =
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
  static final String V2 =
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
          + "{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
  static final String V2_REQUIRED =
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
          + "{\"name\":\"b\",\"type\":\"string\"}]}";

  private final InMemorySchemaLog log = new InMemorySchemaLog();
  private EmbeddedSchemaRegistry registry;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    restart();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private void restart() {
    if (registry != null) {
      registry.close();
    }
    registry = EmbeddedSchemaRegistry.start(log, new EmbeddedSchemaRegistry.Options("unused:9092"));
    http = new RegistryHttp(registry.url());
  }

  @Test
  void shouldRegisterAndServeSchemasLikeConfluent() {
    RegistryHttp.Answer registered = http.post("/subjects/s-value/versions", schemaBody(V1));
    assertThat(registered.status()).isEqualTo(200);
    int id = registered.body().get("id").asInt();

    assertThat(http.post("/subjects/other-value/versions", schemaBody(V1)).body().get("id").asInt())
        .isEqualTo(id);
    assertThat(http.post("/subjects/s-value/versions", schemaBody(V1)).body().get("id").asInt())
        .isEqualTo(id);
    assertThat(http.get("/schemas/ids/" + id).body().get("schema").asText())
        .contains("\"name\":\"R\"");
    RegistryHttp.Answer latest = http.get("/subjects/s-value/versions/latest");
    assertThat(latest.body().get("version").asInt()).isEqualTo(1);
    assertThat(latest.body().get("id").asInt()).isEqualTo(id);
    assertThat(http.post("/subjects/s-value", schemaBody(V1)).body().get("version").asInt())
        .isEqualTo(1);
    assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"other-value\",\"s-value\"]");
    assertThat(http.get("/subjects/s-value/versions").body().toString()).isEqualTo("[1]");
  }

  @Test
  void shouldEnforceBackwardCompatibilityWithConfluentErrors() {
    http.post("/subjects/s/versions", schemaBody(V1));
    assertThat(http.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    assertThat(
            http.post("/compatibility/subjects/s/versions/latest", schemaBody(V2_REQUIRED))
                .body()
                .get("is_compatible")
                .asBoolean())
        .isFalse();
    RegistryHttp.Answer refused = http.post("/subjects/s/versions", schemaBody(V2_REQUIRED));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.body().get("message").asText()).contains("incompatible");
    assertThat(http.post("/subjects/s/versions", schemaBody(V2)).status()).isEqualTo(200);
  }

  @Test
  void shouldAnswerConfluentErrorCodes() {
    assertThat(http.get("/subjects/nope/versions/latest").errorCode()).isEqualTo(40401);
    assertThat(http.get("/schemas/ids/99").errorCode()).isEqualTo(40403);
    http.post("/subjects/s/versions", schemaBody(V1));
    assertThat(http.post("/subjects/s", schemaBody(V2)).errorCode()).isEqualTo(40403);
    assertThat(http.get("/subjects/s/versions/7").errorCode()).isEqualTo(40402);
    RegistryHttp.Answer invalid = http.post("/subjects/s/versions", schemaBody("{not avro"));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorCode()).isEqualTo(42201);
    assertThat(http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}").errorCode())
        .isEqualTo(42203);
    assertThat(http.get("/config/s").errorCode()).isEqualTo(40408);
    assertThat(http.get("/config/s?defaultToGlobal=true").body().get("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
    assertThat(http.get("/no/such/route").status()).isEqualTo(404);
  }

  @Test
  void shouldKeepIdsVersionsAndSettingsAcrossRestarts() {
    int id1 = http.post("/subjects/s/versions", schemaBody(V1)).body().get("id").asInt();
    int id2 = http.post("/subjects/s/versions", schemaBody(V2)).body().get("id").asInt();
    http.put("/config/t", "{\"compatibility\":\"NONE\"}");
    http.delete("/subjects/s");

    restart();

    assertThat(http.get("/schemas/ids/" + id1).status()).isEqualTo(200);
    assertThat(http.get("/schemas/ids/" + id2).status()).isEqualTo(200);
    assertThat(http.get("/subjects").body().toString()).isEqualTo("[]");
    assertThat(http.get("/config/t").body().get("compatibilityLevel").asText()).isEqualTo("NONE");
    int id3 = http.post("/subjects/u/versions", schemaBody(V2_REQUIRED)).body().get("id").asInt();
    assertThat(id3).isGreaterThan(id2);
    RegistryHttp.Answer again = http.post("/subjects/s/versions", schemaBody(V1));
    assertThat(again.body().get("id").asInt()).isEqualTo(id1);
    assertThat(http.get("/subjects/s/versions/latest").body().get("version").asInt())
        .as("version numbers are not reused after a delete")
        .isEqualTo(3);
  }
}
