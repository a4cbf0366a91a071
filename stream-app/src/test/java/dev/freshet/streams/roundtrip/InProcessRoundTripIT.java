package dev.freshet.streams.roundtrip;

import dev.freshet.embedded.registry.EmbeddedSchemaRegistry;
import dev.freshet.testkit.KafkaBrokerExtension;
import dev.freshet.testkit.KafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The round trip on the in-process KRaft broker with Freshet's own registry over HTTP (the registry
 * contract itself is tested against Apicurio in the schemas module).
 */
@ExtendWith(KafkaBrokerExtension.class)
class InProcessRoundTripIT {

  @Test
  void shouldRoundTripAvroClicksThroughAStreamsAppWithTheEmbeddedRegistry(KafkaCluster kafka)
      throws Exception {
    try (EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.start(
            new EmbeddedSchemaRegistry.Options(kafka.bootstrapServers())
                .topic(KafkaCluster.uniqueName("_schemas")))) {
      AvroClickRoundTrip.run(kafka.bootstrapServers(), registry.url());
    }
  }
}
