package dev.freshet.cli.offline;

import dev.freshet.data.synth.SyntheticConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The synthetic generator's main knobs as options (a picocli mixin of {@code generate} and {@code
 * evaluate --synthetic}); defaults are {@link SyntheticConfig}'s. {@link #toConfig()} turns a
 * rejected value into a usage error.
 */
public final class SyntheticOptions {

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--users",
      defaultValue = "2000",
      description = "Users (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--items",
      defaultValue = "3000",
      description = "Items at the start (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(
      names = "--clicks-per-user",
      defaultValue = "50",
      description = "Mean clicks per user (default: ${DEFAULT-VALUE}).")
  int clicksPerUser;

  @Option(
      names = "--days",
      defaultValue = "30",
      description = "Length of the run in days (default: ${DEFAULT-VALUE}).")
  double days;

  @Option(
      names = "--new-items-per-day",
      defaultValue = "30",
      description = "Items arriving per day (default: ${DEFAULT-VALUE}).")
  double newItemsPerDay;

  @Option(
      names = "--drift",
      defaultValue = "0.05",
      description = "Interest drift rate per day (default: ${DEFAULT-VALUE}).")
  double drift;

  @Option(
      names = "--search-probability",
      defaultValue = "0.3",
      description =
          "Share of clicks that follow a search and carry its tokens; 0 = no searches (default:"
              + " ${DEFAULT-VALUE}).")
  double searchProbability;

  @Option(
      names = "--data-seed",
      defaultValue = "42",
      description = "Seed of the generator (default: ${DEFAULT-VALUE}).")
  long dataSeed;

  /**
   * The generator configuration.
   *
   * @throws CommandLine.ParameterException if a value is out of range
   */
  public SyntheticConfig toConfig() {
    try {
      return SyntheticConfig.builder()
          .users(users)
          .initialItems(items)
          .meanClicksPerUser(clicksPerUser)
          .days(days)
          .newItemsPerDay(newItemsPerDay)
          .driftRatePerDay(drift)
          .searchProbability(searchProbability)
          .seed(dataSeed)
          .build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          mixee.commandLine(), "invalid generator option: " + e.getMessage());
    }
  }
}
