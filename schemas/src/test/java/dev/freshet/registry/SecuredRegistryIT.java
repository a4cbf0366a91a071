package dev.freshet.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.ClickEvent;
import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.embedded.tls.SelfSignedTls;
import dev.freshet.serde.AvroSerdes;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freshet's registry client and serdes against the embedded registry serving HTTPS with a
 * self-signed certificate and requiring HTTP basic auth, configured with Confluent's names.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SecuredRegistryIT {

  private final KafkaCluster kafka;
  @TempDir Path dir;
  private SelfSignedTls tls;
  private EmbeddedSchemaRegistry registry;

  SecuredRegistryIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void start() {
    tls = SelfSignedTls.generate(dir, "tls-secret");
    registry =
        EmbeddedSchemaRegistry.start(
            new EmbeddedSchemaRegistry.Options(kafka.bootstrapServers())
                .topic(KafkaCluster.uniqueName("_secured_schemas"))
                .https(tls)
                .basicAuth("freshet", "registry-secret"));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Map<String, Object> config(String userInfo) {
    Map<String, Object> c = new HashMap<>();
    c.put(RegistryClientConfig.SCHEMA_REGISTRY_URL, registry.url());
    c.put(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
    c.put(RegistryClientConfig.BASIC_AUTH_USER_INFO, userInfo);
    c.put(RegistryClientConfig.SSL_TRUSTSTORE_LOCATION, tls.truststore().toString());
    c.put(RegistryClientConfig.SSL_TRUSTSTORE_PASSWORD, tls.password());
    c.put(RegistryClientConfig.SSL_TRUSTSTORE_TYPE, "PKCS12");
    c.put(RegistryClientConfig.MAX_RETRIES, 0);
    return c;
  }

  @Test
  void shouldRegisterAndFetchOverHttpsWithBasicAuth() {
    assertThat(registry.url()).startsWith("https://127.0.0.1:");
    SchemaRegistryClient client = SchemaRegistryClients.create(config("freshet:registry-secret"));

    int id = client.register("clicks-value", ClickEvent.getClassSchema());

    assertThat(client.getSchemaById(id)).isEqualTo(ClickEvent.getClassSchema());
  }

  @Test
  void shouldSerializeAndDeserializeThroughTheSecuredRegistryWithTheSerdeSettings() {
    Serde<ClickEvent> serde =
        AvroSerdes.specific(ClickEvent.class, config("freshet:registry-secret"), false);
    ClickEvent click =
        ClickEvent.newBuilder()
            .setEventId("e1")
            .setUserId("u1")
            .setVideoId("v1")
            .setEventTime(Instant.parse("2026-03-01T00:00:00Z"))
            .setTags(List.of("t"))
            .build();

    byte[] bytes = serde.serializer().serialize("clicks", click);

    assertThat(serde.deserializer().deserialize("clicks", bytes)).isEqualTo(click);
  }

  @Test
  void shouldFailAWrongPasswordAtOnceWithAClear401() {
    SchemaRegistryClient client = SchemaRegistryClients.create(config("freshet:wrong"));
    long t0 = System.nanoTime();

    assertThatThrownBy(() -> client.register("clicks-value", ClickEvent.getClassSchema()))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401))
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("Unauthorized: bad credentials")
        .hasMessageContaining("the registry refused the credentials")
        .hasMessageContaining("basic.auth.user.info");
    assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
  }

  @Test
  void shouldFailWithoutCredentialsWithA401() {
    Map<String, Object> c = config("unused:unused");
    c.remove(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE);
    c.remove(RegistryClientConfig.BASIC_AUTH_USER_INFO);
    SchemaRegistryClient client = SchemaRegistryClients.create(c);

    assertThatThrownBy(() -> client.getSchemaById(1))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401))
        .hasMessageContaining("Unauthorized: no credentials");
  }

  @Test
  void shouldRefuseTheSelfSignedCertificateWithoutTheTruststore() {
    Map<String, Object> c = config("freshet:registry-secret");
    c.remove(RegistryClientConfig.SSL_TRUSTSTORE_LOCATION);
    c.remove(RegistryClientConfig.SSL_TRUSTSTORE_PASSWORD);
    SchemaRegistryClient client = SchemaRegistryClients.create(c);

    assertThatThrownBy(() -> client.getSchemaById(1))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("SSLHandshakeException");
  }
}
