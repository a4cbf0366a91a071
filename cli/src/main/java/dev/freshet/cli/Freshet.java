package dev.freshet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code freshet} launcher. Each sub-command is its own class in this package; add new ones to
 * the {@code subcommands} list below.
 */
@Command(
    name = "freshet",
    mixinStandardHelpOptions = true,
    versionProvider = Freshet.Version.class,
    description = "Online-freshness deep candidate generation on Kafka Streams.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Freshet implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command");
  }

  /** Builds the command line with the shared error handling; tests call this too. */
  public static CommandLine commandLine() {
    return new CommandLine(new Freshet()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Freshet.class.getPackage().getImplementationVersion();
      return new String[] {"freshet " + (v == null ? "dev" : v)};
    }
  }
}
