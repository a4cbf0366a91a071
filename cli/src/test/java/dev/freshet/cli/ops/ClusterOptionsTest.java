package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ClusterOptionsTest {

  @CommandLine.Command(name = "probe")
  static final class Probe {
    @CommandLine.Mixin ClusterOptions cluster;
  }

  @Test
  void shouldGiveSecuritySettingsToKafkaClientsAndRegistrySettingsToSerdesOnly() {
    Probe probe = new Probe();
    new CommandLine(probe)
        .parseArgs(
            "--bootstrap-servers",
            "k:9093",
            "-X",
            "security.protocol=SASL_SSL",
            "-R",
            "basic.auth.credentials.source=USER_INFO",
            "--registry-property",
            "basic.auth.user.info=operator:secret");

    assertThat(probe.cluster.serdeConfig("https://registry:8081"))
        .containsEntry("schema.registry.url", "https://registry:8081")
        .containsEntry("basic.auth.credentials.source", "USER_INFO")
        .containsEntry("basic.auth.user.info", "operator:secret")
        .doesNotContainKey("security.protocol");
    assertThat(probe.cluster.clientConfig(java.util.Map.of()))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("bootstrap.servers", "k:9093")
        .doesNotContainKey("basic.auth.user.info");
  }
}
