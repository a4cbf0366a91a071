package dev.freshet.cli.offline;

import dev.freshet.model.Activation;
import dev.freshet.model.LossType;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.ModelPreset;
import dev.freshet.model.SequencePooling;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The model's hyper-parameters and the training loop's options as command-line options (a picocli
 * mixin shared by {@code train} and {@code evaluate --train-model}). {@code --preset} picks the
 * starting point ({@link ModelPreset#DEFAULT}, the measured defaults of {@link
 * ModelConfig#builder()}, or {@link ModelPreset#REFERENCE}, the seed's network); every other option
 * overrides one value of it. {@link #toConfig()} validates through {@link
 * ModelConfig.Builder#build()} and turns a rejected value into a usage error naming the field.
 */
public final class ModelOptions {

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--preset",
      defaultValue = "default",
      converter = PresetConverter.class,
      description =
          "Starting point of every model option: default (the measured defaults) or reference"
              + " (the youtube_recall network: max pooling, NCE with 5 negatives); default:"
              + " ${DEFAULT-VALUE}.")
  ModelPreset preset;

  @Option(names = "--passes", description = "Passes over the training data (preset's value).")
  Integer passes;

  @Option(names = "--batch-size", description = "Instances per mini-batch (preset's value).")
  Integer batchSize;

  @Option(names = "--window", description = "Clicks of history per instance.")
  Integer window;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description =
          "Seed of initialisation, negative sampling and per-pass shuffling (default:"
              + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--lr", description = "Adagrad learning rate of the sparse rows.")
  Double sparseLearningRate;

  @Option(
      names = "--adagrad-init",
      description =
          "Initial Adagrad accumulator of every sparse row (smaller: larger first steps).")
  Double adagradInitialAccumulator;

  @Option(names = "--dense-lr", description = "Adam learning rate of the dense weights.")
  Double denseLearningRate;

  @Option(
      names = "--negatives",
      description =
          "Sampled negatives: per instance for NCE and SAMPLED_SOFTMAX, per mini-batch (shared)"
              + " for SHARED_SAMPLED_SOFTMAX.")
  Integer negatives;

  @Option(names = "--loss", description = "Output loss: ${COMPLETION-CANDIDATES}.")
  LossType loss;

  @Option(
      names = "--in-batch-negatives",
      arity = "1",
      paramLabel = "true|false",
      description = "SHARED_SAMPLED_SOFTMAX: the batch's other targets are negatives too.")
  Boolean inBatchNegatives;

  @Option(
      names = "--pooling",
      description = "How the LSTM states become one vector: ${COMPLETION-CANDIDATES}.")
  SequencePooling pooling;

  @Option(
      names = "--user-activation",
      description = "Activation of the layer producing u: ${COMPLETION-CANDIDATES}.")
  Activation userActivation;

  @Option(
      names = "--temperature",
      description =
          "Cosine scores: user and item weights L2-normalised, the cosine divided by this"
              + " temperature (0 = plain inner product).")
  Double temperature;

  @Option(
      names = "--history-dropout",
      description =
          "Training only: probability of leaving each clicked item out of an instance's window.")
  Double historyDropout;

  @Option(
      names = "--last-item-skip",
      arity = "1",
      paramLabel = "true|false",
      description = "A linear skip from the last click's embedding to u (an item-to-item term).")
  Boolean lastItemSkip;

  @Option(
      names = "--skip-decay",
      description =
          "With --last-item-skip: 0 = the last click; d in (0, 1) = the window's clicks weighted"
              + " d^age.")
  Double skipDecay;

  @Option(names = "--dropout", description = "Dropout rate on the first hidden layer, in [0, 1).")
  Double dropout;

  @Option(
      names = "--tie-item-embeddings",
      arity = "1",
      paramLabel = "true|false",
      description = "A clicked item's input embedding is its output row (needs item dim = u dim).")
  Boolean tieItemEmbeddings;

  @Option(
      names = "--sampler-power",
      description = "Exponent of item counts in the noise distribution.")
  Double samplerPower;

  @Option(
      names = "--feat-appear-limit",
      description = "Occurrences a feature value needs before it gets its own row.")
  Integer featAppearLimit;

  @Option(names = "--user-dim", description = "User id embedding width.")
  Integer userDim;

  @Option(names = "--province-dim", description = "Province embedding width.")
  Integer provinceDim;

  @Option(names = "--city-dim", description = "City embedding width.")
  Integer cityDim;

  @Option(names = "--phone-dim", description = "Phone embedding width.")
  Integer phoneDim;

  @Option(names = "--item-dim", description = "Item embedding width.")
  Integer itemDim;

  @Option(names = "--category-dim", description = "Category embedding width.")
  Integer categoryDim;

  @Option(names = "--tag-dim", description = "Tag embedding width.")
  Integer tagDim;

  @Option(
      names = "--search-dim",
      description =
          "Search-token embedding width (the window's search tokens averaged, like the tags); 0 ="
              + " off. Default: 0, or "
              + ModelConfig.SEARCH_DIM_WHEN_PRESENT
              + " when the training data carries search tokens.")
  Integer searchDim;

  @Option(names = "--lstm-hidden", description = "LSTM state width.")
  Integer lstmHidden;

  @Option(names = "--hidden-dim", description = "First hidden layer width.")
  Integer hiddenDim;

  @Option(
      names = "--user-vector-dim",
      description = "Width of u (user and item vectors have one more).")
  Integer userVectorDim;

  /** The preset the other options override. */
  public ModelPreset preset() {
    return preset;
  }

  /** Passes over the data (the preset's unless given), validated {@code >= 1}. */
  public int passes() {
    int p = passes != null ? passes : preset.passes();
    if (p < 1) {
      throw usage("--passes must be >= 1, was " + p);
    }
    return p;
  }

  /** Mini-batch size (the preset's unless given), validated {@code >= 1}. */
  public int batchSize() {
    int b = batchSize != null ? batchSize : preset.batchSize();
    if (b < 1) {
      throw usage("--batch-size must be >= 1, was " + b);
    }
    return b;
  }

  /** The seed for shuffling (the model's own seed is the same value). */
  public long seed() {
    return seed;
  }

  /**
   * The model configuration these options describe: the preset with every given option applied.
   *
   * @throws CommandLine.ParameterException if a value is rejected by {@link ModelConfig}
   */
  public ModelConfig toConfig() {
    return toConfig(false);
  }

  /**
   * {@link #toConfig()} for training data that does or does not carry search tokens: without {@code
   * --search-dim} the search-token input is on ({@link ModelConfig#SEARCH_DIM_WHEN_PRESENT})
   * exactly when the data has them.
   */
  public ModelConfig toConfig(boolean dataHasSearchTokens) {
    ModelConfig.Builder b = preset.builder().seed(seed);
    if (searchDim == null && dataHasSearchTokens) {
      b.searchDim(ModelConfig.SEARCH_DIM_WHEN_PRESENT);
    }
    set(searchDim, b::searchDim);
    set(userDim, b::userDim);
    set(provinceDim, b::provinceDim);
    set(cityDim, b::cityDim);
    set(phoneDim, b::phoneDim);
    set(itemDim, b::itemDim);
    set(categoryDim, b::categoryDim);
    set(tagDim, b::tagDim);
    set(lstmHidden, b::lstmHidden);
    set(hiddenDim, b::hiddenDim);
    set(userVectorDim, b::userVectorDim);
    set(window, b::maxWindow);
    set(pooling, b::pooling);
    set(userActivation, b::userActivation);
    set(dropout, b::dropout);
    set(temperature, b::temperature);
    set(historyDropout, b::historyDropout);
    set(lastItemSkip, b::lastItemSkip);
    set(skipDecay, b::skipDecay);
    set(tieItemEmbeddings, b::tieItemEmbeddings);
    set(loss, b::loss);
    set(negatives, b::numNegatives);
    set(inBatchNegatives, b::inBatchNegatives);
    set(samplerPower, b::samplerPower);
    set(featAppearLimit, b::featAppearLimit);
    set(sparseLearningRate, b::sparseLearningRate);
    set(adagradInitialAccumulator, b::adagradInitialAccumulator);
    set(denseLearningRate, b::denseLearningRate);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw usage("invalid model option: " + e.getMessage());
    }
  }

  private static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(mixee.commandLine(), message);
  }

  /** {@code default} or {@code reference}, case-insensitive, with a message naming both. */
  static final class PresetConverter implements CommandLine.ITypeConverter<ModelPreset> {
    @Override
    public ModelPreset convert(String value) {
      for (ModelPreset p : ModelPreset.values()) {
        if (p.name().equalsIgnoreCase(value.trim())) {
          return p;
        }
      }
      throw new CommandLine.TypeConversionException(
          "expected default or reference, was '" + value + "'");
    }
  }
}
