package dev.freshet.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Immutable hyper-parameters of the candidate-generation model. Every size of the network, the
 * loss, the negative sampler, admission/expiry of sparse rows and the optimizers is configured
 * here. Two starting points: {@link #builder()}, the measured defaults, and {@link #reference()},
 * the network of Covington et al. 2016 as rebuilt in the PaddlePaddle {@code youtube_recall}
 * example (kept bit for bit for parity).
 *
 * <p>Instances are created with {@link #builder()}; {@link Builder#build()} validates every field
 * and throws {@link IllegalArgumentException} naming the offending field.
 */
public final class ModelConfig {

  /**
   * The search-token width {@code evaluate} and {@code train} turn on when the data carries search
   * tokens and no width was given (both presets have 0: none of the development data sets has
   * searches).
   */
  public static final int SEARCH_DIM_WHEN_PRESENT = 16;

  /** Numeric precision of the model's math; {@code DOUBLE} exists for finite-difference checks. */
  public enum Precision {
    FLOAT,
    DOUBLE
  }

  private final int userDim;
  private final int provinceDim;
  private final int cityDim;
  private final int phoneDim;
  private final int itemDim;
  private final int categoryDim;
  private final int tagDim;
  private final int searchDim;
  private final int lstmHidden;
  private final int hiddenDim;
  private final int userVectorDim;
  private final int maxWindow;
  private final boolean useExampleAge;
  private final SequencePooling pooling;
  private final Activation userActivation;
  private final double dropout;
  private final boolean tieItemEmbeddings;
  private final double temperature;
  private final double historyDropout;
  private final boolean lastItemSkip;
  private final double skipDecay;
  private final LossType loss;
  private final int numNegatives;
  private final boolean removeAccidentalHits;
  private final boolean inBatchNegatives;
  private final double samplerPower;
  private final int featAppearLimit;
  private final long rowExpiryMillis;
  private final double sparseLearningRate;
  private final double adagradInitialAccumulator;
  private final double denseLearningRate;
  private final double adamBeta1;
  private final double adamBeta2;
  private final double adamEpsilon;
  private final Precision precision;
  private final long seed;

  private ModelConfig(Builder b) {
    this.userDim = b.userDim;
    this.provinceDim = b.provinceDim;
    this.cityDim = b.cityDim;
    this.phoneDim = b.phoneDim;
    this.itemDim = b.itemDim;
    this.categoryDim = b.categoryDim;
    this.tagDim = b.tagDim;
    this.searchDim = b.searchDim;
    this.lstmHidden = b.lstmHidden;
    this.hiddenDim = b.hiddenDim;
    this.userVectorDim = b.userVectorDim;
    this.maxWindow = b.maxWindow;
    this.useExampleAge = b.useExampleAge;
    this.pooling = b.pooling;
    this.userActivation = b.userActivation;
    this.dropout = b.dropout;
    this.tieItemEmbeddings = b.tieItemEmbeddings;
    this.temperature = b.temperature;
    this.historyDropout = b.historyDropout;
    this.lastItemSkip = b.lastItemSkip;
    this.skipDecay = b.skipDecay;
    this.loss = b.loss;
    this.numNegatives = b.numNegatives;
    this.removeAccidentalHits = b.removeAccidentalHits;
    this.inBatchNegatives = b.inBatchNegatives;
    this.samplerPower = b.samplerPower;
    this.featAppearLimit = b.featAppearLimit;
    this.rowExpiryMillis = b.rowExpiryMillis;
    this.sparseLearningRate = b.sparseLearningRate;
    this.adagradInitialAccumulator = b.adagradInitialAccumulator;
    this.denseLearningRate = b.denseLearningRate;
    this.adamBeta1 = b.adamBeta1;
    this.adamBeta2 = b.adamBeta2;
    this.adamEpsilon = b.adamEpsilon;
    this.precision = b.precision;
    this.seed = b.seed;
  }

  /**
   * A builder preset with Freshet's defaults: the best model measured on the development data
   * (amazon-toys, ml-latest-small and synthetic clicks, leave-one-out, chosen on the validation
   * events; {@code docs/benchmarks.md}, "Choosing the defaults"). It differs from {@link
   * #reference()} in the tower (last-state pooling, a linear {@code u} layer of 63, dropout 0.5 on
   * the hidden layer, a 4-wide user-id embedding, item embeddings tied to the output rows, a linear
   * skip from the last click's embedding to {@code u}), the loss (softmax over 1,024 uniformly
   * drawn negatives shared by the mini-batch plus the batch's own targets, logQ-corrected),
   * admission from the first click, and the optimizers' step sizes (Adagrad accumulators start at
   * 1e-6, dense learning rate 0.003).
   */
  public static Builder builder() {
    return new Builder()
        .userDim(4)
        .itemDim(63)
        .userVectorDim(63)
        .pooling(SequencePooling.LAST)
        .userActivation(Activation.LINEAR)
        .dropout(0.5)
        .tieItemEmbeddings(true)
        .lastItemSkip(true)
        .loss(LossType.SHARED_SAMPLED_SOFTMAX)
        .numNegatives(1024)
        .inBatchNegatives(true)
        .samplerPower(0)
        .featAppearLimit(1)
        .sparseLearningRate(0.05)
        .adagradInitialAccumulator(1e-6)
        .denseLearningRate(0.003);
  }

  /**
   * A builder preset with the reference network of Covington et al. 2016 as in {@code
   * youtube_recall}, bit for bit: max-pooled LSTM, ReLU layers 256 → 31, NCE with 5 negatives per
   * example drawn from {@code count^0.75}, no dropout, window 20, the paper's embedding widths.
   */
  public static Builder reference() {
    return new Builder();
  }

  /** A builder preset with every value of this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.userDim = userDim;
    b.provinceDim = provinceDim;
    b.cityDim = cityDim;
    b.phoneDim = phoneDim;
    b.itemDim = itemDim;
    b.categoryDim = categoryDim;
    b.tagDim = tagDim;
    b.searchDim = searchDim;
    b.lstmHidden = lstmHidden;
    b.hiddenDim = hiddenDim;
    b.userVectorDim = userVectorDim;
    b.maxWindow = maxWindow;
    b.useExampleAge = useExampleAge;
    b.pooling = pooling;
    b.userActivation = userActivation;
    b.dropout = dropout;
    b.tieItemEmbeddings = tieItemEmbeddings;
    b.temperature = temperature;
    b.historyDropout = historyDropout;
    b.lastItemSkip = lastItemSkip;
    b.skipDecay = skipDecay;
    b.loss = loss;
    b.numNegatives = numNegatives;
    b.removeAccidentalHits = removeAccidentalHits;
    b.inBatchNegatives = inBatchNegatives;
    b.samplerPower = samplerPower;
    b.featAppearLimit = featAppearLimit;
    b.rowExpiryMillis = rowExpiryMillis;
    b.sparseLearningRate = sparseLearningRate;
    b.adagradInitialAccumulator = adagradInitialAccumulator;
    b.denseLearningRate = denseLearningRate;
    b.adamBeta1 = adamBeta1;
    b.adamBeta2 = adamBeta2;
    b.adamEpsilon = adamEpsilon;
    b.precision = precision;
    b.seed = seed;
    return b;
  }

  public int userDim() {
    return userDim;
  }

  public int provinceDim() {
    return provinceDim;
  }

  public int cityDim() {
    return cityDim;
  }

  public int phoneDim() {
    return phoneDim;
  }

  public int itemDim() {
    return itemDim;
  }

  public int categoryDim() {
    return categoryDim;
  }

  public int tagDim() {
    return tagDim;
  }

  /**
   * Width of the search-token embeddings (the paper's search history: the tokens of the searches
   * that led to the window's clicks, averaged like the tags); 0 = the feature is off (no rows, no
   * columns in the concatenation). Off in both presets: none of the development data sets has
   * searches; {@code docs/model.md} has the measurement on synthetic clicks that carry them.
   */
  public int searchDim() {
    return searchDim;
  }

  /** Whether the tower reads search tokens ({@link #searchDim()} {@code > 0}). */
  public boolean searchTokens() {
    return searchDim > 0;
  }

  /** Width of the LSTM hidden and cell state (64 in the reference). */
  public int lstmHidden() {
    return lstmHidden;
  }

  /** Width of the first ReLU layer after the concatenation (256 in the reference). */
  public int hiddenDim() {
    return hiddenDim;
  }

  /** Width of {@code u}, the second ReLU layer (31); user and item vectors have one more dim. */
  public int userVectorDim() {
    return userVectorDim;
  }

  /** Width of the scored vectors: {@code [1, u]} for users and {@code [b_i, w_i]} for items. */
  public int vectorDim() {
    return userVectorDim + 1;
  }

  /** Longest history window the model reads; longer histories keep their most recent clicks. */
  public int maxWindow() {
    return maxWindow;
  }

  /** Whether the "example age" scalar (Covington 2016, section 3.3) is an input feature. */
  public boolean useExampleAge() {
    return useExampleAge;
  }

  /**
   * How the LSTM's hidden states over the window become one vector (max pooling in the reference).
   */
  public SequencePooling pooling() {
    return pooling;
  }

  /**
   * The non-linearity of the tower's last layer, the one producing {@code u} (ReLU in the
   * reference).
   */
  public Activation userActivation() {
    return userActivation;
  }

  /**
   * Dropout rate on the first hidden layer's activations during training (inverted dropout; 0 =
   * off, as in the reference). Inference never drops.
   */
  public double dropout() {
    return dropout;
  }

  /**
   * Whether a clicked item's input embedding is its output weight row {@code w_i} (tied input and
   * output embeddings, as in SASRec): each item row then learns from its clicks as input and as
   * target. Needs {@code itemDim == userVectorDim}; the {@code ITEM} table then only counts
   * admissions and holds the {@code <unk>} row that unadmitted history items read.
   */
  public boolean tieItemEmbeddings() {
    return tieItemEmbeddings;
  }

  /**
   * Temperature of cosine scoring, or 0 for the plain inner product (the reference). With {@code τ
   * > 0} the user vector is {@code [1, u/(|u|·τ)]} and the item vector {@code [b_i, w_i/|w_i|]}:
   * the score is the item's bias plus the cosine of {@code u} and {@code w_i} divided by {@code τ}.
   * A tied history item's input embedding is then the unit vector {@code w_i/|w_i|} as well. Needs
   * a batched loss ({@link LossType#SHARED_SAMPLED_SOFTMAX} or {@link LossType#FULL_SOFTMAX}).
   */
  public double temperature() {
    return temperature;
  }

  /**
   * Probability with which each clicked item of a training instance's window is left out of it for
   * that step (0 = never, the reference): an augmentation that keeps the tower from leaning on any
   * one click. Training only; serving always sees the whole window. The choice is a hash of (seed,
   * step, example, position), so a step stays a deterministic function of the model state.
   */
  public double historyDropout() {
    return historyDropout;
  }

  /**
   * Whether the most recent click's input embedding also reaches {@code u} through a linear skip
   * {@code u += x_last · S} ({@code S [itemDim, userVectorDim]}, dense parameter {@code skip.w},
   * starting at the identity when the widths match, else at 0), added before the activation. With
   * tied item embeddings the score then has a direct item-to-item term {@code w_last·S·w_i}, the
   * first-order Markov term of FPMC (Rendle et al. 2010), next to what the LSTM and the hidden
   * layer make of the whole window. Off in the reference.
   */
  public boolean lastItemSkip() {
    return lastItemSkip;
  }

  /**
   * What the {@link #lastItemSkip()} reads: 0 = the most recent click's input embedding alone;
   * {@code d} in (0, 1) = the average of the window's input embeddings weighted {@code d^(L-1-t)},
   * so the most recent click weighs most and older ones fade (the decay of session-kNN's recency
   * weights).
   */
  public double skipDecay() {
    return skipDecay;
  }

  /** Whether scores are cosines divided by {@link #temperature()} (plus the item's bias). */
  public boolean cosineScores() {
    return temperature > 0;
  }

  public LossType loss() {
    return loss;
  }

  /**
   * Sampled negatives: per training example for {@link LossType#NCE} and {@link
   * LossType#SAMPLED_SOFTMAX} (5 in the reference), per mini-batch, shared by all its examples, for
   * {@link LossType#SHARED_SAMPLED_SOFTMAX}; unused by {@link LossType#FULL_SOFTMAX}.
   */
  public int numNegatives() {
    return numNegatives;
  }

  /** Whether sampled negatives equal to the example's target are dropped from its loss. */
  public boolean removeAccidentalHits() {
    return removeAccidentalHits;
  }

  /**
   * Whether {@link LossType#SHARED_SAMPLED_SOFTMAX} also uses the other examples' targets of the
   * mini-batch as negatives (with their own logQ correction).
   */
  public boolean inBatchNegatives() {
    return inBatchNegatives;
  }

  /** Exponent applied to item counts for the noise distribution ({@code 1} = unigram, 0.75). */
  public double samplerPower() {
    return samplerPower;
  }

  /**
   * Occurrences a feature value needs before it gets its own row; before that it is {@code <unk>}.
   */
  public int featAppearLimit() {
    return featAppearLimit;
  }

  /** Idle time (event time, ms) after which a row is evicted by {@code expire}; 0 = never. */
  public long rowExpiryMillis() {
    return rowExpiryMillis;
  }

  public double sparseLearningRate() {
    return sparseLearningRate;
  }

  public double adagradInitialAccumulator() {
    return adagradInitialAccumulator;
  }

  public double denseLearningRate() {
    return denseLearningRate;
  }

  public double adamBeta1() {
    return adamBeta1;
  }

  public double adamBeta2() {
    return adamBeta2;
  }

  public double adamEpsilon() {
    return adamEpsilon;
  }

  public Precision precision() {
    return precision;
  }

  /** Seed of every random choice: initialisation and negative sampling. */
  public long seed() {
    return seed;
  }

  /** Width of the concatenation fed to the first ReLU layer. */
  public int concatDim() {
    return userDim
        + provinceDim
        + cityDim
        + phoneDim
        + lstmHidden * pooling.vectors()
        + categoryDim
        + tagDim
        + searchDim
        + (useExampleAge ? 1 : 0);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ModelConfig)) {
      return false;
    }
    return toString().equals(o.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "ModelConfig{userDim=%d, provinceDim=%d, cityDim=%d, phoneDim=%d, itemDim=%d,"
            + " categoryDim=%d, tagDim=%d, searchDim=%d, lstmHidden=%d, hiddenDim=%d, userVectorDim=%d,"
            + " maxWindow=%d, useExampleAge=%b, pooling=%s, userActivation=%s, dropout=%s,"
            + " tieItemEmbeddings=%b, temperature=%s, historyDropout=%s, lastItemSkip=%b, skipDecay=%s, loss=%s, numNegatives=%d, removeAccidentalHits=%b, inBatchNegatives=%b,"
            + " samplerPower=%s, featAppearLimit=%d,"
            + " rowExpiryMillis=%d, sparseLearningRate=%s, adagradInitialAccumulator=%s,"
            + " denseLearningRate=%s, adamBeta1=%s, adamBeta2=%s, adamEpsilon=%s, precision=%s,"
            + " seed=%d}",
        userDim,
        provinceDim,
        cityDim,
        phoneDim,
        itemDim,
        categoryDim,
        tagDim,
        searchDim,
        lstmHidden,
        hiddenDim,
        userVectorDim,
        maxWindow,
        useExampleAge,
        pooling,
        userActivation,
        dropout,
        tieItemEmbeddings,
        temperature,
        historyDropout,
        lastItemSkip,
        skipDecay,
        loss,
        numNegatives,
        removeAccidentalHits,
        inBatchNegatives,
        samplerPower,
        featAppearLimit,
        rowExpiryMillis,
        sparseLearningRate,
        adagradInitialAccumulator,
        denseLearningRate,
        adamBeta1,
        adamBeta2,
        adamEpsilon,
        precision,
        seed);
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private int userDim = 64;
    private int provinceDim = 8;
    private int cityDim = 16;
    private int phoneDim = 16;
    private int itemDim = 64;
    private int categoryDim = 8;
    private int tagDim = 64;
    private int searchDim = 0;
    private int lstmHidden = 64;
    private int hiddenDim = 256;
    private int userVectorDim = 31;
    private int maxWindow = 20;
    private boolean useExampleAge = false;
    private SequencePooling pooling = SequencePooling.MAX;
    private Activation userActivation = Activation.RELU;
    private double dropout = 0;
    private double temperature = 0;
    private double historyDropout = 0;
    private boolean lastItemSkip = false;
    private double skipDecay = 0;
    private boolean tieItemEmbeddings = false;
    private LossType loss = LossType.NCE;
    private int numNegatives = 5;
    private boolean removeAccidentalHits = true;
    private boolean inBatchNegatives = false;
    private double samplerPower = 0.75;
    private int featAppearLimit = 20;
    private long rowExpiryMillis = 0;
    private double sparseLearningRate = 0.05;
    private double adagradInitialAccumulator = 0.1;
    private double denseLearningRate = 1e-3;
    private double adamBeta1 = 0.9;
    private double adamBeta2 = 0.999;
    private double adamEpsilon = 1e-8;
    private Precision precision = Precision.FLOAT;
    private long seed = 42L;

    private Builder() {}

    public Builder userDim(int v) {
      this.userDim = v;
      return this;
    }

    public Builder provinceDim(int v) {
      this.provinceDim = v;
      return this;
    }

    public Builder cityDim(int v) {
      this.cityDim = v;
      return this;
    }

    public Builder phoneDim(int v) {
      this.phoneDim = v;
      return this;
    }

    public Builder itemDim(int v) {
      this.itemDim = v;
      return this;
    }

    public Builder categoryDim(int v) {
      this.categoryDim = v;
      return this;
    }

    public Builder tagDim(int v) {
      this.tagDim = v;
      return this;
    }

    /** See {@link ModelConfig#searchDim()}; 0 turns the search-token input off. */
    public Builder searchDim(int v) {
      this.searchDim = v;
      return this;
    }

    public Builder lstmHidden(int v) {
      this.lstmHidden = v;
      return this;
    }

    public Builder hiddenDim(int v) {
      this.hiddenDim = v;
      return this;
    }

    public Builder userVectorDim(int v) {
      this.userVectorDim = v;
      return this;
    }

    public Builder maxWindow(int v) {
      this.maxWindow = v;
      return this;
    }

    public Builder useExampleAge(boolean v) {
      this.useExampleAge = v;
      return this;
    }

    public Builder pooling(SequencePooling v) {
      this.pooling = v;
      return this;
    }

    public Builder userActivation(Activation v) {
      this.userActivation = v;
      return this;
    }

    public Builder dropout(double v) {
      this.dropout = v;
      return this;
    }

    /** Training-time probability of leaving each window click out; 0 (the reference) = never. */
    public Builder historyDropout(double v) {
      this.historyDropout = v;
      return this;
    }

    /** A linear skip from the last click's input embedding to {@code u}; off in the reference. */
    public Builder lastItemSkip(boolean v) {
      this.lastItemSkip = v;
      return this;
    }

    /** Recency decay of the skip's input; 0 = the last click only. */
    public Builder skipDecay(double v) {
      this.skipDecay = v;
      return this;
    }

    /** Cosine-scoring temperature; 0 (the reference) scores by the plain inner product. */
    public Builder temperature(double v) {
      this.temperature = v;
      return this;
    }

    public Builder tieItemEmbeddings(boolean v) {
      this.tieItemEmbeddings = v;
      return this;
    }

    public Builder inBatchNegatives(boolean v) {
      this.inBatchNegatives = v;
      return this;
    }

    public Builder loss(LossType v) {
      this.loss = v;
      return this;
    }

    public Builder numNegatives(int v) {
      this.numNegatives = v;
      return this;
    }

    public Builder removeAccidentalHits(boolean v) {
      this.removeAccidentalHits = v;
      return this;
    }

    public Builder samplerPower(double v) {
      this.samplerPower = v;
      return this;
    }

    public Builder featAppearLimit(int v) {
      this.featAppearLimit = v;
      return this;
    }

    public Builder rowExpiryMillis(long v) {
      this.rowExpiryMillis = v;
      return this;
    }

    public Builder sparseLearningRate(double v) {
      this.sparseLearningRate = v;
      return this;
    }

    public Builder adagradInitialAccumulator(double v) {
      this.adagradInitialAccumulator = v;
      return this;
    }

    public Builder denseLearningRate(double v) {
      this.denseLearningRate = v;
      return this;
    }

    public Builder adamBeta1(double v) {
      this.adamBeta1 = v;
      return this;
    }

    public Builder adamBeta2(double v) {
      this.adamBeta2 = v;
      return this;
    }

    public Builder adamEpsilon(double v) {
      this.adamEpsilon = v;
      return this;
    }

    public Builder precision(Precision v) {
      this.precision = v;
      return this;
    }

    public Builder seed(long v) {
      this.seed = v;
      return this;
    }

    /**
     * Validates and freezes the configuration.
     *
     * @throws IllegalArgumentException naming the first invalid field and its value
     */
    public ModelConfig build() {
      positive("userDim", userDim);
      positive("provinceDim", provinceDim);
      positive("cityDim", cityDim);
      positive("phoneDim", phoneDim);
      positive("itemDim", itemDim);
      positive("categoryDim", categoryDim);
      positive("tagDim", tagDim);
      if (searchDim < 0) {
        throw new IllegalArgumentException(
            "searchDim must be >= 0 (0 = no search tokens) but was " + searchDim);
      }
      positive("lstmHidden", lstmHidden);
      positive("hiddenDim", hiddenDim);
      positive("userVectorDim", userVectorDim);
      positive("maxWindow", maxWindow);
      Objects.requireNonNull(loss, "loss");
      Objects.requireNonNull(pooling, "pooling");
      Objects.requireNonNull(userActivation, "userActivation");
      if (!(dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("dropout must be in [0, 1) but was " + dropout);
      }
      if (!(skipDecay >= 0 && skipDecay < 1)) {
        throw new IllegalArgumentException("skipDecay must be in [0, 1) but was " + skipDecay);
      }
      if (!(historyDropout >= 0 && historyDropout < 1)) {
        throw new IllegalArgumentException(
            "historyDropout must be in [0, 1) but was " + historyDropout);
      }
      if (!(temperature >= 0) || !Double.isFinite(temperature)) {
        throw new IllegalArgumentException(
            "temperature must be finite and >= 0 (0 = inner product) but was " + temperature);
      }
      if (temperature > 0
          && loss != LossType.SHARED_SAMPLED_SOFTMAX
          && loss != LossType.FULL_SOFTMAX) {
        throw new IllegalArgumentException(
            "temperature > 0 (cosine scores) needs loss SHARED_SAMPLED_SOFTMAX or FULL_SOFTMAX but"
                + " loss was "
                + loss);
      }
      if (tieItemEmbeddings && itemDim != userVectorDim) {
        throw new IllegalArgumentException(
            "tieItemEmbeddings needs itemDim == userVectorDim but they were "
                + itemDim
                + " and "
                + userVectorDim
                + " (give both the same width, or turn tieItemEmbeddings off)");
      }
      Objects.requireNonNull(precision, "precision");
      positive("numNegatives", numNegatives);
      if (!(samplerPower >= 0 && samplerPower <= 1)) {
        throw new IllegalArgumentException(
            "samplerPower must be in [0, 1] but was " + samplerPower);
      }
      positive("featAppearLimit", featAppearLimit);
      if (rowExpiryMillis < 0) {
        throw new IllegalArgumentException(
            "rowExpiryMillis must be >= 0 (0 = never) but was " + rowExpiryMillis);
      }
      positiveFinite("sparseLearningRate", sparseLearningRate);
      positiveFinite("adagradInitialAccumulator", adagradInitialAccumulator);
      positiveFinite("denseLearningRate", denseLearningRate);
      unitInterval("adamBeta1", adamBeta1);
      unitInterval("adamBeta2", adamBeta2);
      positiveFinite("adamEpsilon", adamEpsilon);
      return new ModelConfig(this);
    }

    private static void positive(String name, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(name + " must be > 0 but was " + v);
      }
    }

    private static void positiveFinite(String name, double v) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException(name + " must be finite and > 0 but was " + v);
      }
    }

    private static void unitInterval(String name, double v) {
      if (!(v >= 0 && v < 1)) {
        throw new IllegalArgumentException(name + " must be in [0, 1) but was " + v);
      }
    }
  }
}
