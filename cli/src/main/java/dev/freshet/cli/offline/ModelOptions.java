package dev.freshet.cli.offline;

import dev.freshet.model.LossType;
import dev.freshet.model.ModelConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The model's hyper-parameters and the training loop's options as command-line options (a picocli
 * mixin shared by {@code train} and {@code evaluate --train-model}). Defaults are the reference's:
 * sizes of {@link ModelConfig#builder()}, window 20, batch 256, 5 NCE negatives, {@code
 * feat_appear_limit} 20. {@link #toConfig()} validates through {@link ModelConfig.Builder#build()}
 * and turns a rejected value into a usage error naming the field.
 */
public final class ModelOptions {

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--passes",
      defaultValue = "5",
      description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
  int passes;

  @Option(
      names = "--batch-size",
      defaultValue = "256",
      description = "Instances per mini-batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--window",
      defaultValue = "20",
      description = "Clicks of history per instance (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description =
          "Seed of initialisation, negative sampling and per-pass shuffling (default:"
              + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--lr",
      defaultValue = "0.05",
      description = "Adagrad learning rate of the sparse rows (default: ${DEFAULT-VALUE}).")
  double sparseLearningRate;

  @Option(
      names = "--dense-lr",
      defaultValue = "0.001",
      description = "Adam learning rate of the dense weights (default: ${DEFAULT-VALUE}).")
  double denseLearningRate;

  @Option(
      names = "--negatives",
      defaultValue = "5",
      description = "Sampled negatives per instance (default: ${DEFAULT-VALUE}).")
  int negatives;

  @Option(
      names = "--loss",
      defaultValue = "NCE",
      description = "Output loss: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LossType loss;

  @Option(
      names = "--sampler-power",
      defaultValue = "0.75",
      description =
          "Exponent of item counts in the noise distribution (default: ${DEFAULT-VALUE}).")
  double samplerPower;

  @Option(
      names = "--feat-appear-limit",
      defaultValue = "20",
      description =
          "Occurrences a feature value needs before it gets its own row (default:"
              + " ${DEFAULT-VALUE}).")
  int featAppearLimit;

  @Option(names = "--user-dim", defaultValue = "64", description = "User id embedding width.")
  int userDim;

  @Option(names = "--province-dim", defaultValue = "8", description = "Province embedding width.")
  int provinceDim;

  @Option(names = "--city-dim", defaultValue = "16", description = "City embedding width.")
  int cityDim;

  @Option(names = "--phone-dim", defaultValue = "16", description = "Phone embedding width.")
  int phoneDim;

  @Option(names = "--item-dim", defaultValue = "64", description = "Item embedding width.")
  int itemDim;

  @Option(names = "--category-dim", defaultValue = "8", description = "Category embedding width.")
  int categoryDim;

  @Option(names = "--tag-dim", defaultValue = "64", description = "Tag embedding width.")
  int tagDim;

  @Option(names = "--lstm-hidden", defaultValue = "64", description = "LSTM state width.")
  int lstmHidden;

  @Option(names = "--hidden-dim", defaultValue = "256", description = "First ReLU layer width.")
  int hiddenDim;

  @Option(
      names = "--user-vector-dim",
      defaultValue = "31",
      description = "Width of u (user and item vectors have one more).")
  int userVectorDim;

  /** Passes over the data, validated {@code >= 1}. */
  public int passes() {
    if (passes < 1) {
      throw usage("--passes must be >= 1, was " + passes);
    }
    return passes;
  }

  /** Mini-batch size, validated {@code >= 1}. */
  public int batchSize() {
    if (batchSize < 1) {
      throw usage("--batch-size must be >= 1, was " + batchSize);
    }
    return batchSize;
  }

  /** The seed for shuffling (the model's own seed is the same value). */
  public long seed() {
    return seed;
  }

  /**
   * The model configuration these options describe.
   *
   * @throws CommandLine.ParameterException if a value is rejected by {@link ModelConfig}
   */
  public ModelConfig toConfig() {
    try {
      return ModelConfig.builder()
          .userDim(userDim)
          .provinceDim(provinceDim)
          .cityDim(cityDim)
          .phoneDim(phoneDim)
          .itemDim(itemDim)
          .categoryDim(categoryDim)
          .tagDim(tagDim)
          .lstmHidden(lstmHidden)
          .hiddenDim(hiddenDim)
          .userVectorDim(userVectorDim)
          .maxWindow(window)
          .loss(loss)
          .numNegatives(negatives)
          .samplerPower(samplerPower)
          .featAppearLimit(featAppearLimit)
          .sparseLearningRate(sparseLearningRate)
          .denseLearningRate(denseLearningRate)
          .seed(seed)
          .build();
    } catch (IllegalArgumentException e) {
      throw usage("invalid model option: " + e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(mixee.commandLine(), message);
  }
}
