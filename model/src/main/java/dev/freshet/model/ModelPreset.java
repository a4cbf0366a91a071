package dev.freshet.model;

/**
 * Named starting points for a {@link ModelConfig} and the offline training schedule that goes with
 * it. {@link #DEFAULT} is what the online trainer, the demo and {@code evaluate} use unless told
 * otherwise; {@link #REFERENCE} is the seed's network, kept bit for bit so offline parity with
 * {@code youtube_recall} stays provable.
 */
public enum ModelPreset {
  /** The defaults of {@link ModelConfig#builder()}: the best model measured on development data. */
  DEFAULT(10, 256),
  /** {@link ModelConfig#reference()}: max-pooled LSTM, ReLU 256 → 31, NCE with 5 negatives. */
  REFERENCE(5, 256);

  private final int passes;
  private final int batchSize;

  ModelPreset(int passes, int batchSize) {
    this.passes = passes;
    this.batchSize = batchSize;
  }

  /** A builder holding the preset's configuration. */
  public ModelConfig.Builder builder() {
    return this == REFERENCE ? ModelConfig.reference() : ModelConfig.builder();
  }

  /** Passes over a training file the preset was measured with. */
  public int passes() {
    return passes;
  }

  /** Mini-batch size the preset was measured with. */
  public int batchSize() {
    return batchSize;
  }
}
