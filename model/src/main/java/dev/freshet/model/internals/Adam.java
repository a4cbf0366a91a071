package dev.freshet.model.internals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam (Kingma &amp; Ba 2015) for the dense parameters, with bias correction folded into the step
 * size: {@code m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; θ ← θ - α·√(1-β2^t)/(1-β1^t) · m/(√v +
 * ε)}. Each parameter tensor is updated in one fused plain-Java pass over the off-heap buffers of
 * parameter, moments and gradient (no temporaries, no per-op native-call overhead).
 */
public final class Adam {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final LinkedHashMap<String, INDArray> m = new LinkedHashMap<>();
  private final LinkedHashMap<String, INDArray> v = new LinkedHashMap<>();
  private long step;

  /** Fresh state (zero moments, step 0) for {@code params}. */
  public Adam(
      double learningRate,
      double beta1,
      double beta2,
      double epsilon,
      Map<String, INDArray> params) {
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    for (var e : params.entrySet()) {
      m.put(e.getKey(), e.getValue().ulike().assign(0));
      v.put(e.getKey(), e.getValue().ulike().assign(0));
    }
  }

  /** Updates every parameter in place with its gradient. */
  public void apply(Map<String, INDArray> params, Map<String, INDArray> grads) {
    step++;
    double lr = learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
    for (var e : params.entrySet()) {
      INDArray g = grads.get(e.getKey());
      if (g == null) {
        throw new IllegalArgumentException("no gradient for " + e.getKey());
      }
      INDArray p = e.getValue();
      if (g.length() != p.length()) {
        throw new IllegalArgumentException(
            "gradient for "
                + e.getKey()
                + " has "
                + g.length()
                + " values, expected "
                + p.length());
      }
      update(
          new Buf(p), new Buf(m.get(e.getKey())), new Buf(v.get(e.getKey())), Buf.reading(g), lr);
    }
  }

  /** One fused pass over parameter, moments and gradient. */
  private void update(Buf p, Buf mi, Buf vi, Buf g, double lr) {
    double b1 = beta1;
    double b2 = beta2;
    for (int i = 0; i < p.length; i++) {
      double gi = g.get(i);
      assert Double.isFinite(gi) : "non-finite dense gradient";
      mi.set(i, b1 * mi.get(i) + (1 - b1) * gi);
      vi.set(i, b2 * vi.get(i) + (1 - b2) * gi * gi);
      p.set(i, p.get(i) - lr * mi.get(i) / (Math.sqrt(vi.get(i)) + epsilon));
    }
  }

  public long step() {
    return step;
  }

  /** First moments by parameter name (live). */
  public Map<String, INDArray> firstMoments() {
    return m;
  }

  /** Second moments by parameter name (live). */
  public Map<String, INDArray> secondMoments() {
    return v;
  }

  /** Restores the step counter (checkpoint loading; moments are restored through the live maps). */
  public void restoreStep(long step) {
    this.step = step;
  }
}
