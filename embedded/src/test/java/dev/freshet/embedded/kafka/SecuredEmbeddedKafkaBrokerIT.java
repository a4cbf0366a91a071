package dev.freshet.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.embedded.tls.SelfSignedTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuredEmbeddedKafkaBrokerIT {

  @TempDir Path dir;

  @Test
  void shouldAuthenticateWithScramAndAuthorizeOnlyWhatAnAclGrants() throws Exception {
    EmbeddedKafkaBroker.Security security =
        new EmbeddedKafkaBroker.Security(
            "admin", "admin-secret", SelfSignedTls.generate(dir.resolve("tls"), "tls-secret"));
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(
            new EmbeddedKafkaBroker.Options().dataDir(dir.resolve("kafka")).secured(security))) {
      assertThat(broker.isSecured()).isTrue();
      try (Admin admin = Admin.create(broker.adminProperties())) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("allowed", 1, (short) 1), new NewTopic("denied", 1, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
        broker.upsertScramUser("alice", "alice-secret");
        admin
            .createAcls(
                List.of(
                    new AclBinding(
                        new ResourcePattern(ResourceType.TOPIC, "allowed", PatternType.LITERAL),
                        new AccessControlEntry(
                            "User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }

      try (KafkaProducer<String, String> alice =
          producer(broker.clientProperties("alice", "alice-secret"))) {
        alice.send(new ProducerRecord<>("allowed", "k", "v")).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(
                () ->
                    alice.send(new ProducerRecord<>("denied", "k", "v")).get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(TopicAuthorizationException.class)
            .hasMessageContaining("denied");
      }

      try (KafkaProducer<String, String> wrong =
          producer(broker.clientProperties("alice", "nope"))) {
        assertThatThrownBy(
                () ->
                    wrong.send(new ProducerRecord<>("allowed", "k", "v")).get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(SaslAuthenticationException.class);
      }
    }

    // A restart on the same directory keeps the credentials, the ACLs and the certificate.
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.start(
                new EmbeddedKafkaBroker.Options()
                    .dataDir(dir.resolve("kafka"))
                    .secured(
                        new EmbeddedKafkaBroker.Security(
                            "admin",
                            "admin-secret",
                            SelfSignedTls.generate(dir.resolve("tls"), "tls-secret"))));
        KafkaProducer<String, String> alice =
            producer(broker.clientProperties("alice", "alice-secret"))) {
      alice.send(new ProducerRecord<>("allowed", "k", "v2")).get(30, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> client) {
    Map<String, Object> c = new HashMap<>(client);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Duration.ofSeconds(20).toMillis());
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
  }
}
