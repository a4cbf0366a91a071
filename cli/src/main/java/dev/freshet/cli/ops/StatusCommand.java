package dev.freshet.cli.ops;

import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.registry.SchemaRegistryClients;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code freshet status}: one screen on a running Freshet, over {@link ClusterStatus}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "One screen for an operator: topics against the expected set, stream-app and trainer groups"
          + " with lag per partition, the newest snapshot and its age, dead letters by reason,"
          + " schema subjects and their compatibility.",
      "Exit code 0 = healthy, 1 = something is wrong (listed at the end) or the cluster could not"
          + " be read, 2 = bad options."
    })
public final class StatusCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(
      names = {"--registry", "--schema-registry-url"},
      paramLabel = "URL",
      description = "Schema registry to check (subjects, compatibility); skipped without it.")
  String registryUrl;

  @Option(
      names = "--stream-app-id",
      defaultValue = "freshet-stream",
      description = "The stream app's application.id (default: ${DEFAULT-VALUE}).")
  String streamAppId;

  @Option(
      names = "--trainer-group",
      defaultValue = "freshet-trainer",
      description = "The trainer's group.id (default: ${DEFAULT-VALUE}).")
  String trainerGroup;

  @Option(
      names = "--max-snapshot-age",
      defaultValue = "5m",
      converter = Converters.DurationConverter.class,
      description =
          "A trainer with lag and no snapshot for this long is stalled (default:"
              + " ${DEFAULT-VALUE}).")
  Duration maxSnapshotAge;

  @Option(
      names = "--dlq-window",
      defaultValue = "1h",
      converter = Converters.DurationConverter.class,
      description = "Count dead letters written this far back (default: ${DEFAULT-VALUE}).")
  Duration dlqWindow;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (maxSnapshotAge.isNegative() || maxSnapshotAge.isZero()) {
      throw new CommandLine.ParameterException(cl, "--max-snapshot-age must be positive");
    }
    if (dlqWindow.isNegative() || dlqWindow.isZero()) {
      throw new CommandLine.ParameterException(cl, "--dlq-window must be positive");
    }
    ClusterStatus.Settings settings =
        new ClusterStatus.Settings(streamAppId, trainerGroup, maxSnapshotAge, dlqWindow);
    Map<String, Object> clientConfig =
        cluster.clientConfig(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    ClusterStatus.Report report;
    try (Admin admin = Admin.create(clientConfig);
        SchemaRegistryClient registry =
            registryUrl == null
                ? null
                : SchemaRegistryClients.create(cluster.serdeConfig(registryUrl))) {
      report =
          ClusterStatus.inspect(
              admin,
              cluster.clientConfig(Map.of()),
              registry,
              registryUrl,
              settings,
              Instant.now());
    }
    PrintWriter out = cl.getOut();
    out.print(ClusterStatus.toText(report));
    out.flush();
    return report.healthy() ? 0 : 1;
  }
}
