package dev.freshet.model.internals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma &amp; Ba 2015) for the dense parameters, with bias correction folded into the step
 * size: {@code m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; θ ← θ - α·√(1-β2^t)/(1-β1^t) · m/(√v +
 * ε)}. Each parameter tensor is updated with a few whole-tensor ops.
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
      INDArray mi = m.get(e.getKey());
      INDArray vi = v.get(e.getKey());
      mi.muli(beta1).addi(g.mul(1 - beta1));
      vi.muli(beta2).addi(g.mul(g).muli(1 - beta2));
      INDArray denom = Transforms.sqrt(vi, true).addi(epsilon);
      e.getValue().subi(mi.div(denom).muli(lr));
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
