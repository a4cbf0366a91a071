package dev.freshet.cli;

import dev.freshet.cli.offline.EvaluateCommand;
import dev.freshet.cli.offline.GenerateCommand;
import dev.freshet.cli.offline.ImportMovieLensCommand;
import dev.freshet.cli.offline.ImportSequencesCommand;
import dev.freshet.cli.offline.InferCommand;
import dev.freshet.cli.offline.InferUserCommand;
import dev.freshet.cli.offline.ItemVectorsCommand;
import dev.freshet.cli.offline.PreprocessCommand;
import dev.freshet.cli.offline.TrainCommand;
import dev.freshet.cli.offline.UserVectorsCommand;
import dev.freshet.model.CheckpointException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
    subcommands = {
      CommandLine.HelpCommand.class,
      BrokerCommand.class,
      ServiceCommands.StreamAppCommand.class,
      ServiceCommands.TrainerCommand.class,
      ServiceCommands.RollbackCommand.class,
      GenerateCommand.class,
      ImportMovieLensCommand.class,
      ImportSequencesCommand.class,
      PreprocessCommand.class,
      TrainCommand.class,
      InferCommand.class,
      UserVectorsCommand.class,
      ItemVectorsCommand.class,
      InferUserCommand.class,
      EvaluateCommand.class,
      EvaluateOnlineCommand.class,
      dev.freshet.cli.demo.DemoCommand.class,
      dev.freshet.cli.ops.ProduceCommand.class,
      dev.freshet.cli.ops.ConsumeCommand.class,
      dev.freshet.cli.ops.TopicsCommand.class,
      dev.freshet.cli.ops.StatusCommand.class,
      dev.freshet.cli.ops.TransactionsCommand.class,
      dev.freshet.cli.ops.ReplayCommand.class
    })
public final class Freshet implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing sub-command");
  }

  /** Builds the command line with the shared error handling; tests call this too. */
  public static CommandLine commandLine() {
    ErrorHandler errors = new ErrorHandler();
    return new CommandLine(new Freshet())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The shared error handling of every sub-command, installed by {@link #commandLine()}.
   *
   * <p>Invalid input on the command line (unknown option, missing or malformed value, a file that
   * does not exist: anything reported as a {@link CommandLine.ParameterException}, including type
   * converter failures) prints one line, {@code freshet <command>: <what was wrong> (see 'freshet
   * <command> --help')}, to the error stream and exits with picocli's usage-error code (2).
   *
   * <p>An expected failure while running ({@link IOException}, {@link UncheckedIOException}, {@link
   * IllegalArgumentException}, {@link IllegalStateException} or a {@link CheckpointException} for a
   * corrupt or incompatible checkpoint) prints one line {@code freshet <command>: error: <message>}
   * and exits with 1. Anything else is a bug: its stack trace is printed and the exit code is 1.
   * Commands signal bad input they detect themselves by throwing {@link
   * CommandLine.ParameterException}.
   */
  public static final class ErrorHandler
      implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      CommandLine cmd = ex.getCommandLine();
      String name = cmd.getCommandSpec().qualifiedName();
      String message = ex.getMessage();
      if (ex instanceof CommandLine.MissingParameterException) {
        List<String> unknown = unknownOptions(cmd.getCommandSpec(), args);
        if (!unknown.isEmpty()) {
          message = "Unknown option: " + String.join(", ", unknown) + "; " + message;
        }
      }
      cmd.getErr().println(name + ": " + message + " (see '" + name + " --help')");
      cmd.getErr().flush();
      return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(
        Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
      String name = cmd.getCommandSpec().qualifiedName();
      PrintWriter err = cmd.getErr();
      if (expected(ex)) {
        err.println(name + ": error: " + describe(ex));
      } else {
        err.println(name + ": internal error: " + describe(ex));
        ex.printStackTrace(err);
      }
      err.flush();
      return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    /**
     * The arguments that look like options but that neither {@code spec} nor its parents define.
     * Picocli reports missing required options before unknown ones; this recovers the unknown ones
     * so that a typo is named in the message. Values of known options are skipped.
     */
    static List<String> unknownOptions(CommandLine.Model.CommandSpec spec, String[] args) {
      List<String> unknown = new ArrayList<>();
      boolean valueExpected = false;
      for (String arg : args) {
        if (arg.equals("--")) {
          break;
        }
        if (valueExpected) {
          valueExpected = false;
          continue;
        }
        if (!arg.startsWith("-") || arg.length() < 2 || Character.isDigit(arg.charAt(1))) {
          continue;
        }
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        CommandLine.Model.OptionSpec option = null;
        for (CommandLine.Model.CommandSpec s = spec; s != null && option == null; s = s.parent()) {
          option = s.findOption(name);
        }
        if (option == null) {
          unknown.add(name);
        } else {
          valueExpected = !arg.contains("=") && option.arity().min() > 0;
        }
      }
      return unknown;
    }

    private static boolean expected(Exception ex) {
      return ex instanceof IOException
          || ex instanceof UncheckedIOException
          || ex instanceof IllegalArgumentException
          || ex instanceof IllegalStateException
          || ex instanceof CheckpointException;
    }

    private static String describe(Throwable ex) {
      StringBuilder out = new StringBuilder();
      Throwable t = ex;
      while (t != null) {
        if (out.length() > 0) {
          out.append(": ");
        }
        String message = t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException) {
          out.append("no such file: ").append(message);
        } else if (t instanceof java.nio.file.AccessDeniedException) {
          out.append("access denied: ").append(message);
        } else {
          out.append(message == null ? t.getClass().getSimpleName() : message);
        }
        if (t.getCause() == t) {
          break;
        }
        t = t.getCause();
        if (t != null && t.getMessage() != null && out.indexOf(t.getMessage()) >= 0) {
          break;
        }
      }
      return out.toString();
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Freshet.class.getPackage().getImplementationVersion();
      return new String[] {"freshet " + (v == null ? "dev" : v)};
    }
  }
}
