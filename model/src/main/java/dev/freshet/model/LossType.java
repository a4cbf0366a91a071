package dev.freshet.model;

/** The sampled training objective of the output layer. */
public enum LossType {
  /**
   * Noise-contrastive estimation (Gutmann &amp; Hyvärinen 2010; Mnih &amp; Teh 2012): logistic
   * regression of the target against {@code k} noise samples on logits {@code s(x) - log(k q(x))}.
   */
  NCE,
  /**
   * Sampled softmax with logQ correction (Bengio &amp; Senécal 2008; Jean et al. 2015): softmax
   * cross-entropy over the target and the sampled negatives on logits {@code s(x) - log q(x)}.
   */
  SAMPLED_SOFTMAX,
  /**
   * Sampled softmax whose negatives are drawn once per mini-batch and shared by every example
   * (optionally with the batch's other targets as extra negatives), computed as one batched product
   * {@code [B, D] × [D, B + S]}: hundreds to thousands of negatives per example for the cost of a
   * gemm. Logits {@code s(x) - log E[n_x]}, where {@code E[n_x]} is the expected number of times
   * item {@code x} is among the candidates (the logQ correction of Jean et al. 2015 and Yi et al.
   * 2019 for a candidate set drawn from the noise sampler and from the data).
   */
  SHARED_SAMPLED_SOFTMAX,
  /**
   * The exact softmax over every admitted item (no sampling, no correction): the cost of one step
   * grows with the catalogue, and every output row changes every step, so it suits offline training
   * on small catalogues.
   */
  FULL_SOFTMAX
}
