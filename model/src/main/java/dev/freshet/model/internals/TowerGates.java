package dev.freshet.model.internals;

import java.util.Locale;

/**
 * One LSTM step's gate pass for one user in the plain-Java tower: from the pre-activations {@code z
 * = [i | f | o | g]} ({@code 4h} wide, bias and both products already added) to the new cell and
 * hidden state and the running max pool. Everything else in the tower is matrix products; this pass
 * computes five transcendental functions per unit and step, which was half a user's time with
 * scalar {@code Math.exp} (docs/benchmarks.md, "User tower inference").
 *
 * <p>Two implementations: {@link #SCALAR}, in double rounded to float (always available), and the
 * Vector API's (SIMD {@code exp} and {@code tanh}, in float), which needs the incubator module
 * {@code jdk.incubator.vector} in the boot layer ({@code --add-modules jdk.incubator.vector}; the
 * {@code freshet} launcher and the test JVMs add it). They agree to a few float ulps, not bit for
 * bit. {@link #DEFAULT} is chosen once per JVM by the system property {@value #PROPERTY}: {@code
 * auto} (the default: the vector pass when the module is there), {@code vector} (fail if it is not)
 * or {@code scalar}. A unit's result never depends on the other units or users beside it, so a
 * user's vector stays independent of how users are batched.
 */
public interface TowerGates {
  /** System property choosing {@link #DEFAULT}: {@code auto}, {@code vector} or {@code scalar}. */
  String PROPERTY = "freshet.tower.gates";

  /**
   * Units {@code 0..h-1} of one step: {@code c = σ(f)·c + σ(i)·tanh(g)} ({@code c = σ(i)·tanh(g)}
   * on the first step), {@code hOut = σ(o)·tanh(c)}, {@code pool = hOut} on the first step and
   * {@code max(pool, hOut)} after. {@code z} is scratch: an implementation may overwrite it.
   */
  void step(float[] z, float[] c, float[] hOut, float[] pool, int h, boolean first);

  /** Short name for logs and benchmark tables. */
  String name();

  /** The scalar pass: each gate in double (one {@code Math.exp}), rounded to float. */
  TowerGates SCALAR = new ScalarGates();

  /** The pass this JVM uses, per {@link #PROPERTY}. */
  TowerGates DEFAULT = choose(System.getProperty(PROPERTY, "auto"));

  /** Whether the Vector API's incubator module is in the boot layer. */
  static boolean vectorAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /**
   * The vector pass.
   *
   * @throws IllegalStateException if {@code jdk.incubator.vector} is not in the boot layer
   */
  static TowerGates vector() {
    if (!vectorAvailable()) {
      throw new IllegalStateException(
          "the vector gates need the JVM option --add-modules jdk.incubator.vector");
    }
    try {
      // By name, so that a JVM without the module never links the class.
      return (TowerGates)
          Class.forName("dev.freshet.model.internals.VectorGates")
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError ex) {
      throw new IllegalStateException("the vector gates could not be loaded: " + ex, ex);
    }
  }

  /**
   * @throws IllegalArgumentException for a value other than {@code auto}, {@code vector} or {@code
   *     scalar}
   * @throws IllegalStateException for {@code vector} without the module
   */
  static TowerGates choose(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> vectorAvailable() ? vector() : SCALAR;
      case "vector" -> vector();
      case "scalar" -> SCALAR;
      default ->
          throw new IllegalArgumentException(
              PROPERTY + " must be auto, vector or scalar, not '" + value + "'");
    };
  }
}
