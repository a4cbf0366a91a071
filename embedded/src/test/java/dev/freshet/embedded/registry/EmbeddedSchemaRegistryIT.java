package dev.freshet.embedded.registry;

import static dev.freshet.embedded.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.embedded.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on a real in-process KRaft broker: schemas survive a registry restart. */
class EmbeddedSchemaRegistryIT {

  @Test
  void shouldKeepSchemasInACompactedTopicAcrossRestarts(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Options().dataDir(dir))) {
      EmbeddedSchemaRegistry.Options options =
          new EmbeddedSchemaRegistry.Options(broker.bootstrapServers()).topic("_schemas_it");
      int id1;
      int id2;
      try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(options)) {
        RegistryHttp http = new RegistryHttp(registry.url());
        id1 =
            http.post("/subjects/a/versions", schemaBody(EmbeddedSchemaRegistryTest.V1))
                .body()
                .get("id")
                .asInt();
        id2 =
            http.post("/subjects/a/versions", schemaBody(EmbeddedSchemaRegistryTest.V2))
                .body()
                .get("id")
                .asInt();
        http.put("/config", "{\"compatibility\":\"FULL\"}");
      }
      try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(options)) {
        RegistryHttp http = new RegistryHttp(registry.url());
        assertThat(http.get("/subjects/a/versions/latest").body().get("id").asInt()).isEqualTo(id2);
        assertThat(http.get("/schemas/ids/" + id1).status()).isEqualTo(200);
        assertThat(http.get("/config").body().get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(
                http.post(
                        "/subjects/b/versions", schemaBody(EmbeddedSchemaRegistryTest.V2_REQUIRED))
                    .body()
                    .get("id")
                    .asInt())
            .isGreaterThan(id2);
      }
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas_it");
        Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
            .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
      }
    }
  }
}
