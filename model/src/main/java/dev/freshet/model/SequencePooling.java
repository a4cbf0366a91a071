package dev.freshet.model;

/** How the LSTM's hidden states over a history window become the tower's sequence vector. */
public enum SequencePooling {
  /**
   * Element-wise max over the window's valid steps, as in the reference ({@code youtube_recall}).
   */
  MAX(1),
  /**
   * The hidden state after the most recent click: keeps the order of the clicks, which max pooling
   * throws away (next-item data is dominated by the most recent clicks).
   */
  LAST(1),
  /** Both, concatenated {@code [max | last]}. */
  MAX_AND_LAST(2);

  private final int vectors;

  SequencePooling(int vectors) {
    this.vectors = vectors;
  }

  /** How many LSTM-wide vectors this pooling feeds into the concatenation. */
  public int vectors() {
    return vectors;
  }
}
