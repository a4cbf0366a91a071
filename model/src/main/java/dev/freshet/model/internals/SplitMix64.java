package dev.freshet.model.internals;

/**
 * The SplitMix64 generator (Steele, Lea &amp; Flood 2014): a 64-bit state, so it is trivially
 * checkpointed, and statistically good enough for initialisation and negative sampling. Not
 * thread-safe.
 */
public final class SplitMix64 {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** The complete generator state; {@code new SplitMix64(state())} continues the same stream. */
  public long state() {
    return state;
  }

  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in {@code [0, 1)} with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in {@code [-bound, bound)}. */
  public double nextSymmetric(double bound) {
    return (2 * nextDouble() - 1) * bound;
  }

  /** The SplitMix64 finaliser: a bijective 64-bit mixer. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A 64-bit hash of a string (FNV-1a over UTF-16 units, then mixed). */
  public static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }
}
