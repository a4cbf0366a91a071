package dev.freshet.cli;

import dev.freshet.avro.SnapshotManifest;
import dev.freshet.cli.logging.LogSetup;
import dev.freshet.streams.StreamApp;
import dev.freshet.trainer.Rollback;
import dev.freshet.trainer.TrainerApp;
import dev.freshet.trainer.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The long-running services and the rollback, for a real cluster. Each takes property files and
 * {@code key=value} settings, later ones winning (the keys of {@code StreamAppConfig} and {@code
 * TrainerConfig}).
 */
final class ServiceCommands {

  private ServiceCommands() {}

  @Command(
      name = "stream-app",
      mixinStandardHelpOptions = true,
      description = "Run the stream app (topology, serving model, HTTP queries) until Ctrl-C.")
  static final class StreamAppCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE|KEY=VALUE", description = "Property files and settings.")
    List<String> settings = new ArrayList<>();

    @Option(
        names = "--log-format",
        defaultValue = "text",
        description = "text or json (one JSON object per line; default: ${DEFAULT-VALUE}).")
    LogSetup.Format logFormat;

    @Override
    public Integer call() throws Exception {
      LogSetup.use(LogSetup.context(), logFormat);
      StreamApp.main(settings.toArray(String[]::new));
      return 0;
    }
  }

  @Command(
      name = "trainer",
      mixinStandardHelpOptions = true,
      description = "Run the online trainer until Ctrl-C (publishes a final snapshot).")
  static final class TrainerCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE|KEY=VALUE", description = "Property files and settings.")
    List<String> settings = new ArrayList<>();

    @Option(
        names = "--log-format",
        defaultValue = "text",
        description = "text or json (one JSON object per line; default: ${DEFAULT-VALUE}).")
    LogSetup.Format logFormat;

    @Override
    public Integer call() throws Exception {
      LogSetup.use(LogSetup.context(), logFormat);
      return TrainerApp.run(TrainerApp.parseArgs(settings.toArray(String[]::new)));
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {
        "Republish snapshot N as the newest version (fences a running trainer; restart it after).",
        "Takes the trainer's settings."
      })
  static final class RollbackCommand implements Callable<Integer> {
    @Option(names = "--to-version", required = true, description = "The version to republish.")
    long toVersion;

    @Parameters(
        paramLabel = "FILE|KEY=VALUE",
        description = "The trainer's property files and settings.")
    List<String> settings = new ArrayList<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Map<String, String> props = TrainerApp.parseArgs(settings.toArray(String[]::new));
      TrainerConfig config;
      try {
        config = new TrainerConfig(props);
      } catch (ConfigException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      try {
        SnapshotManifest m = Rollback.run(config, toVersion);
        System.out.printf(
            "Published snapshot %d = snapshot %d (%d items). Restart the trainer to continue from it.%n",
            m.getVersion(), toVersion, m.getItemCount());
        return 0;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }
}
