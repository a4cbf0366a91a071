package dev.freshet.model;

/** The non-linearity of a dense layer. */
public enum Activation {
  /** {@code max(0, x)}, the reference's choice for every layer. */
  RELU,
  /**
   * The identity. For the layer producing {@code u} it lets user vectors point anywhere, where ReLU
   * confines them to the positive orthant (so {@code u·w_i} can only rank with non-negative
   * weights).
   */
  LINEAR
}
