package dev.freshet.cli.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a demo run is configured with. The defaults are the demo's (see {@code docs/demo.md}):
 * chosen so that a 2-core machine shows the model learning within a minute or two.
 *
 * <p>Mutable with fluent setters; {@link Demo#start} validates it.
 */
public final class DemoSettings {

  /** Where the clicks come from. */
  public enum Source {
    SYNTHETIC,
    MOVIELENS,
    TSV
  }

  /**
   * Model sizes: the model's default widths ({@code ModelConfig.builder()}), or narrower ones that
   * learn faster on a laptop. Both are the default model otherwise (loss, pooling, rates).
   */
  public enum ModelSize {
    DEFAULT,
    SMALL
  }

  private Path dir = Path.of(".freshet", "demo");
  private Source source = Source.SYNTHETIC;
  private Path sourcePath;
  private double rate = 100;
  private Duration duration;
  private int partitions = 2;
  private int dashboardPort = 8088;
  private int kafkaPort;
  private ModelSize modelSize = ModelSize.SMALL;
  private long seed = 42;
  private Duration frozenAfter = Duration.ofSeconds(30);
  private int topK = 20;
  private int featAppearLimit = 1;
  private int syntheticUsers = 1000;
  private int syntheticItems = 1500;
  private Duration maxGap = Duration.ofSeconds(1);

  public Path dir() {
    return dir;
  }

  /** Data directory (broker, state, checkpoints); wiped at start if it holds an earlier demo. */
  public DemoSettings dir(Path v) {
    this.dir = Objects.requireNonNull(v, "dir");
    return this;
  }

  public Source source() {
    return source;
  }

  public Path sourcePath() {
    return sourcePath;
  }

  /** The click source; {@code path} is the MovieLens directory or TSV file (null for synthetic). */
  public DemoSettings source(Source v, Path path) {
    this.source = Objects.requireNonNull(v, "source");
    this.sourcePath = path;
    return this;
  }

  public double rate() {
    return rate;
  }

  /** Clicks per second on average; 0 sends as fast as possible. */
  public DemoSettings rate(double v) {
    this.rate = v;
    return this;
  }

  /** How long to run, or null to run until stopped. */
  public Duration duration() {
    return duration;
  }

  public DemoSettings duration(Duration v) {
    this.duration = v;
    return this;
  }

  public int partitions() {
    return partitions;
  }

  public DemoSettings partitions(int v) {
    this.partitions = v;
    return this;
  }

  public int dashboardPort() {
    return dashboardPort;
  }

  /** Dashboard HTTP port on 127.0.0.1; 0 picks a free one. */
  public DemoSettings dashboardPort(int v) {
    this.dashboardPort = v;
    return this;
  }

  public int kafkaPort() {
    return kafkaPort;
  }

  /** Kafka port on 127.0.0.1; 0 (default) picks a free one. */
  public DemoSettings kafkaPort(int v) {
    this.kafkaPort = v;
    return this;
  }

  public ModelSize modelSize() {
    return modelSize;
  }

  public DemoSettings modelSize(ModelSize v) {
    this.modelSize = Objects.requireNonNull(v, "modelSize");
    return this;
  }

  public long seed() {
    return seed;
  }

  /** Seed of the synthetic generator and of the model. */
  public DemoSettings seed(long v) {
    this.seed = v;
    return this;
  }

  public Duration frozenAfter() {
    return frozenAfter;
  }

  /** When the frozen copy is taken: the snapshot current this long after the start. */
  public DemoSettings frozenAfter(Duration v) {
    this.frozenAfter = Objects.requireNonNull(v, "frozenAfter");
    return this;
  }

  public int topK() {
    return topK;
  }

  /** N of the recommendations and K of the prequential Recall@K. */
  public DemoSettings topK(int v) {
    this.topK = v;
    return this;
  }

  public int featAppearLimit() {
    return featAppearLimit;
  }

  /** Occurrences a feature value needs before it gets its own embedding row (reference: 20). */
  public DemoSettings featAppearLimit(int v) {
    this.featAppearLimit = v;
    return this;
  }

  public int syntheticUsers() {
    return syntheticUsers;
  }

  /** Users of the synthetic generator (raised when the run needs more clicks). */
  public DemoSettings syntheticUsers(int v) {
    this.syntheticUsers = v;
    return this;
  }

  public int syntheticItems() {
    return syntheticItems;
  }

  /** Items at the start of the synthetic catalogue. */
  public DemoSettings syntheticItems(int v) {
    this.syntheticItems = v;
    return this;
  }

  public Duration maxGap() {
    return maxGap;
  }

  /** Longest pause between two clicks on the wall clock after compression. */
  public DemoSettings maxGap(Duration v) {
    this.maxGap = Objects.requireNonNull(v, "maxGap");
    return this;
  }

  /** Throws {@link IllegalArgumentException} naming the first invalid setting. */
  public void validate() {
    if (!(rate >= 0) || !Double.isFinite(rate)) {
      throw new IllegalArgumentException("rate must be a finite number >= 0, was " + rate);
    }
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("duration must be positive, was " + duration);
    }
    if (partitions < 1 || partitions > 64) {
      throw new IllegalArgumentException("partitions must be in [1, 64], was " + partitions);
    }
    port(dashboardPort, "dashboard port");
    port(kafkaPort, "kafka port");
    if (frozenAfter.isNegative()) {
      throw new IllegalArgumentException("frozen-after must be >= 0, was " + frozenAfter);
    }
    if (topK < 1 || topK > 1000) {
      throw new IllegalArgumentException("top-k must be in [1, 1000], was " + topK);
    }
    if (featAppearLimit < 1) {
      throw new IllegalArgumentException("feat-appear-limit must be >= 1, was " + featAppearLimit);
    }
    if (syntheticUsers < 1 || syntheticItems < 1) {
      throw new IllegalArgumentException("synthetic users and items must be >= 1");
    }
    if (source != Source.SYNTHETIC && sourcePath == null) {
      throw new IllegalArgumentException("source " + source + " needs a path");
    }
  }

  private static void port(int p, String name) {
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException(name + " must be in [0, 65535], was " + p);
    }
  }

  /** The trainer's {@code model.*} keys for the chosen size, limit and seed. */
  Map<String, String> modelKeys() {
    Map<String, String> m = new LinkedHashMap<>();
    if (modelSize == ModelSize.SMALL) {
      m.put("model.provinceDim", "4");
      m.put("model.cityDim", "8");
      m.put("model.phoneDim", "4");
      m.put("model.itemDim", "31"); // tied to the output rows: as wide as u
      m.put("model.categoryDim", "8");
      m.put("model.tagDim", "16");
      m.put("model.lstmHidden", "32");
      m.put("model.hiddenDim", "64");
      m.put("model.userVectorDim", "31");
    }
    // Loss, negatives, pooling and learning rates are the model's defaults (ModelConfig.builder()),
    // the same model evaluate and the trainer use.
    m.put("model.featAppearLimit", Integer.toString(featAppearLimit));
    m.put("model.seed", Long.toString(seed));
    return m;
  }
}
