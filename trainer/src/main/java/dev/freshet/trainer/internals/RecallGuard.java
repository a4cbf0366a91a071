package dev.freshet.trainer.internals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rollback guardrail's decision: is the newest model doing clearly worse than a recent one?
 *
 * <p>It counts judged clicks and hits per model version of the judged list (the stream app's
 * prequential {@code judgement}: was the clicked item in the list that version produced for the
 * user just before?). Versions are fine-grained (one per publish), so it compares <em>blocks</em>:
 * walking from the newest version back, consecutive versions are grouped until a block holds at
 * least {@code minJudged} judged clicks. Block 0 is the newest stretch; blocks 1..{@code
 * lookbackBlocks} are the recent past. It rolls back when block 0's recall (HR@K) is below the best
 * recent block's by more than {@code margin} (relative: {@code newest < best × (1 − margin)}) and
 * the difference is significant (two-proportion z ≥ {@code minZ}); the target is the newest version
 * of the best block.
 *
 * <p>No oscillation: after a rollback published as version R, only lists of versions ≥ R count (the
 * abandoned versions and the old lineage are forgotten, so the next decision needs two fresh
 * blocks), and nothing is decided for {@code holdoffMillis}: at most one rollback per hold-off
 * window. A rollback that could not be carried out holds off the same way.
 *
 * <p>Thread-safe: a reader thread {@linkplain #record records}, the training thread {@linkplain
 * #check checks}. Time is passed in, so the logic is tested without a clock.
 */
public final class RecallGuard {

  /** Settings, validated by the trainer's config. */
  public record Settings(
      long minJudged, double margin, double minZ, int lookbackBlocks, long holdoffMillis) {
    public Settings {
      if (minJudged < 1) {
        throw new IllegalArgumentException("minJudged must be >= 1, was " + minJudged);
      }
      if (!(margin >= 0 && margin <= 1)) {
        throw new IllegalArgumentException("margin must be in [0, 1], was " + margin);
      }
      if (!(minZ >= 0)) {
        throw new IllegalArgumentException("minZ must be >= 0, was " + minZ);
      }
      if (lookbackBlocks < 1) {
        throw new IllegalArgumentException("lookbackBlocks must be >= 1, was " + lookbackBlocks);
      }
      if (holdoffMillis < 0) {
        throw new IllegalArgumentException("holdoffMillis must be >= 0, was " + holdoffMillis);
      }
    }
  }

  /**
   * Consecutive versions judged together.
   *
   * @param fromVersion oldest version in the block
   * @param toVersion newest version in the block
   */
  public record Block(long fromVersion, long toVersion, long judged, long hits) {
    /** HR@K of the block. */
    public double recall() {
      return judged == 0 ? Double.NaN : (double) hits / judged;
    }

    @Override
    public String toString() {
      return String.format("v%d..v%d %.4f (%d/%d)", fromVersion, toVersion, recall(), hits, judged);
    }
  }

  /**
   * A rollback to make.
   *
   * @param toVersion the version to republish: the newest version of {@code best}
   * @param newest the newest block
   * @param best the best recent block
   * @param z the two-proportion z statistic of the difference
   */
  public record Decision(long toVersion, Block newest, Block best, double z) {}

  private final Settings settings;
  private final TreeMap<Long, long[]> counts = new TreeMap<>();
  private long floor = 1;
  private long holdUntil = Long.MIN_VALUE;
  private long judged;
  private long ignored;
  private List<Block> lastBlocks = List.of();

  public RecallGuard(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Starts counting at version {@code floor} and holds off until {@code holdUntilMillis}: how a
   * restarted trainer resumes after the newest rollback manifest.
   */
  public synchronized void resume(long floor, long holdUntilMillis) {
    this.floor = Math.max(1, floor);
    this.holdUntil = holdUntilMillis;
    counts.headMap(this.floor, false).clear();
  }

  /**
   * Counts one judged click of a list made by {@code version}. Popularity lists (version &lt; 1)
   * and versions below the floor are ignored.
   */
  public synchronized void record(long version, boolean hit) {
    if (version < floor) {
      ignored++;
      return;
    }
    long[] c = counts.computeIfAbsent(version, v -> new long[2]);
    c[0]++;
    if (hit) {
      c[1]++;
    }
    judged++;
  }

  /**
   * The decision at {@code nowMillis}: empty while holding off or while nothing is clearly worse.
   */
  public synchronized Optional<Decision> check(long nowMillis) {
    if (nowMillis < holdUntil) {
      return Optional.empty();
    }
    List<Block> blocks = blocks();
    lastBlocks = blocks;
    if (blocks.size() < 2) {
      return Optional.empty();
    }
    Block newest = blocks.get(0);
    Block best = blocks.get(1);
    for (Block b : blocks.subList(2, blocks.size())) {
      if (b.recall() > best.recall()) {
        best = b;
      }
    }
    if (!(newest.recall() < best.recall() * (1 - settings.margin()))) {
      return Optional.empty();
    }
    double z = z(newest, best);
    if (z < settings.minZ()) {
      return Optional.empty();
    }
    return Optional.of(new Decision(best.toVersion(), newest, best, z));
  }

  /**
   * Notes that the rollback was published as {@code newVersion}: forgets every version before it
   * and holds off until {@code nowMillis + holdoff}.
   */
  public synchronized void rolledBack(long newVersion, long nowMillis) {
    floor = newVersion;
    counts.clear();
    lastBlocks = List.of();
    holdUntil = saturatedAdd(nowMillis, settings.holdoffMillis());
  }

  /** Notes that a decided rollback could not be carried out: holds off as after a rollback. */
  public synchronized void failed(long nowMillis) {
    holdUntil = saturatedAdd(nowMillis, settings.holdoffMillis());
  }

  /** Judged clicks counted since start. */
  public synchronized long judged() {
    return judged;
  }

  /** Judged clicks ignored: popularity lists and versions before the floor. */
  public synchronized long ignored() {
    return ignored;
  }

  /** The blocks of the last check, newest first. */
  public synchronized List<Block> lastBlocks() {
    return lastBlocks;
  }

  /**
   * Complete blocks, newest first, at most {@code lookbackBlocks + 1}; versions older than those
   * are dropped.
   */
  private List<Block> blocks() {
    List<Block> out = new ArrayList<>();
    long to = -1;
    long n = 0;
    long hits = 0;
    Long oldestUsed = null;
    for (Map.Entry<Long, long[]> e : counts.descendingMap().entrySet()) {
      if (out.size() > settings.lookbackBlocks()) {
        break;
      }
      if (n == 0) {
        to = e.getKey();
      }
      n += e.getValue()[0];
      hits += e.getValue()[1];
      if (n >= settings.minJudged()) {
        out.add(new Block(e.getKey(), to, n, hits));
        oldestUsed = e.getKey();
        n = 0;
        hits = 0;
      }
    }
    if (out.size() > settings.lookbackBlocks() && oldestUsed != null) {
      counts.headMap(oldestUsed, false).clear();
    }
    return out;
  }

  /** Two-proportion z statistic of {@code best.recall() - newest.recall()} (pooled). */
  static double z(Block newest, Block best) {
    double pooled = (double) (newest.hits() + best.hits()) / (newest.judged() + best.judged());
    double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / newest.judged() + 1.0 / best.judged()));
    double diff = best.recall() - newest.recall();
    if (se == 0) {
      return diff > 0 ? Double.POSITIVE_INFINITY : 0;
    }
    return diff / se;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
