package dev.freshet.model.internals;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Objects;

/**
 * Samples keys with probability proportional to a non-negative weight that changes incrementally —
 * the noise distribution {@code q(i) ∝ count_i^power} of NCE / sampled softmax.
 *
 * <p>A Fenwick (binary indexed) tree over slots gives O(log n) weight updates and O(log n) draws,
 * so the distribution is always exact for the current counts, with no rebuild interval (an alias
 * table would give O(1) draws but would be stale between rebuilds). Incremental floating-point
 * updates drift, so the tree is rebuilt exactly from the slot weights every {@code n} updates
 * (amortised O(1)). Removed keys free their slot for reuse. Not thread-safe.
 */
public final class FenwickSampler {
  private double[] tree = new double[17];
  private double[] weights = new double[16];
  private String[] keys = new String[16];
  private int used;
  private final HashMap<String, Integer> slots = new HashMap<>();
  private final ArrayDeque<Integer> free = new ArrayDeque<>();
  private long updatesSinceRebuild;

  /** Number of keys with a slot. */
  public int size() {
    return slots.size();
  }

  /** Sets {@code key}'s weight, giving it a slot if it has none. */
  public void set(String key, double weight) {
    Objects.requireNonNull(key, "key");
    if (!(weight >= 0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("weight must be finite and >= 0 but was " + weight);
    }
    Integer slot = slots.get(key);
    if (slot == null) {
      slot = free.isEmpty() ? newSlot() : free.pop();
      slots.put(key, slot);
      keys[slot] = key;
    }
    update(slot, weight);
  }

  /** Removes {@code key}; its slot is reused later. */
  public void remove(String key) {
    Integer slot = slots.remove(key);
    if (slot != null) {
      update(slot, 0);
      keys[slot] = null;
      free.push(slot);
    }
  }

  /** The weight of {@code key}, 0 if absent. */
  public double weight(String key) {
    Integer slot = slots.get(key);
    return slot == null ? 0 : weights[slot];
  }

  /** Sum of all weights. */
  public double total() {
    return prefix(weights.length);
  }

  /** {@code weight(key) / total()}, 0 if absent or the total is 0. */
  public double probability(String key) {
    double t = total();
    return t > 0 ? weight(key) / t : 0;
  }

  /**
   * Draws one key with probability proportional to its weight.
   *
   * @throws IllegalStateException if every weight is zero
   */
  public String sample(SplitMix64 rng) {
    double total = total();
    if (!(total > 0)) {
      throw new IllegalStateException("cannot sample: the total weight is zero");
    }
    for (int attempt = 0; attempt < 64; attempt++) {
      int slot = find(rng.nextDouble() * total);
      if (slot < used && weights[slot] > 0) {
        return keys[slot];
      }
    }
    throw new IllegalStateException("sampler tree inconsistent with its weights");
  }

  private int newSlot() {
    if (used == weights.length) {
      int cap = weights.length * 2;
      weights = Arrays.copyOf(weights, cap);
      keys = Arrays.copyOf(keys, cap);
      rebuild();
    }
    return used++;
  }

  private void update(int slot, double weight) {
    double delta = weight - weights[slot];
    weights[slot] = weight;
    if (++updatesSinceRebuild > Math.max(1024, weights.length)) {
      rebuild();
      return;
    }
    for (int i = slot + 1; i < tree.length; i += i & -i) {
      tree[i] += delta;
    }
  }

  /** Recomputes the tree exactly from the slot weights in O(n). */
  public void rebuild() {
    double[] t = new double[weights.length + 1];
    for (int i = 1; i < t.length; i++) {
      t[i] += weights[i - 1];
      int parent = i + (i & -i);
      if (parent < t.length) {
        t[parent] += t[i];
      }
    }
    tree = t;
    updatesSinceRebuild = 0;
  }

  private double prefix(int n) {
    double s = 0;
    for (int i = n; i > 0; i -= i & -i) {
      s += tree[i];
    }
    return s;
  }

  /** The smallest slot whose inclusive prefix sum exceeds {@code u}. */
  private int find(double u) {
    int pos = 0;
    int step = Integer.highestOneBit(tree.length - 1);
    for (; step > 0; step >>= 1) {
      int next = pos + step;
      if (next < tree.length && tree[next] <= u) {
        pos = next;
        u -= tree[next];
      }
    }
    return pos;
  }

  /** Slot keys in slot order (nulls for free slots), for checkpointing. */
  public String[] slotKeys() {
    return Arrays.copyOf(keys, used);
  }

  /** Slot weights in slot order, for checkpointing. */
  public double[] slotWeights() {
    return Arrays.copyOf(weights, used);
  }

  /** Free slots in reuse order, for checkpointing. */
  public int[] freeSlots() {
    return free.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The raw tree, for checkpointing (restoring it keeps draws bit-identical). */
  public double[] treeArray() {
    return tree.clone();
  }

  public long updatesSinceRebuild() {
    return updatesSinceRebuild;
  }

  /** Restores the exact state written by a checkpoint. */
  public static FenwickSampler restore(
      String[] slotKeys, double[] slotWeights, int[] freeSlots, double[] tree, long updates) {
    FenwickSampler s = new FenwickSampler();
    int cap = tree.length - 1;
    if (cap < slotKeys.length || slotKeys.length != slotWeights.length) {
      throw new IllegalArgumentException("inconsistent sampler state");
    }
    s.weights = Arrays.copyOf(slotWeights, cap);
    s.keys = Arrays.copyOf(slotKeys, cap);
    s.used = slotKeys.length;
    for (int i = 0; i < slotKeys.length; i++) {
      if (slotKeys[i] != null) {
        s.slots.put(slotKeys[i], i);
      }
    }
    for (int f : freeSlots) {
      s.free.addLast(f);
    }
    s.tree = tree.clone();
    s.updatesSinceRebuild = updates;
    return s;
  }
}
