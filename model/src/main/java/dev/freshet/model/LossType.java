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
  SAMPLED_SOFTMAX
}
