package dev.freshet.cli.demo;

import dev.freshet.avro.Judgement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's figures: counters fed by the feeder and the recommendation monitor, prequential recall
 * accumulators, and a time series sampled once a second for the terminal and the dashboard.
 *
 * <p>Prequential Recall@K ("test, then train"), with the stream app's own definition: was the
 * clicked item in the last list the stream app had emitted for the user before it processed the
 * click? The app judges every click against that list (kept in the user's history state) and puts
 * the verdict on the click's {@code Recommendations} record; the figures here count those verdicts
 * as the records are read back, so no race between the feeder and the reader decides a hit. A click
 * of a user who had no list yet is not judged (counted apart). Three accumulators run side by side:
 *
 * <ul>
 *   <li><b>online</b>, over every judged click: the stream app's verdicts (popularity lists before
 *       the first model, then the online model's).
 *   <li><b>online (paired)</b> and <b>frozen (paired)</b>, over the judged clicks of users for whom
 *       the frozen copy had scored a list since it was frozen when the click was sent: the same
 *       clicks judged by the stream app's verdict and against the frozen model's newest list for
 *       the user. The difference between the two is the value of staying fresh.
 * </ul>
 *
 * Windowed recall (the last {@link #RECALL_WINDOW} judged clicks) is what the charts show. All
 * methods are thread-safe.
 */
final class LiveFigures {

  static final int RECALL_WINDOW = 2000;
  static final int MAX_POINTS = 7200;
  private static final int MAX_PENDING = 100_000;
  private static final int LATENCY_RING = 8192;

  /**
   * One sample, taken every second. NaN where a figure does not exist yet.
   *
   * @param t seconds since the demo started
   * @param clicksPerSec clicks sent in the last interval, per second
   * @param recsPerSec recommendations received in the last interval, per second
   * @param modelShare fraction of those that came from a model (not popularity)
   * @param instances instances the trainer has trained on
   * @param instancesPerSec instances trained per second over the last interval
   * @param loss the trainer's smoothed loss
   * @param version newest published snapshot version
   * @param servedVersion snapshot version the stream app serves
   * @param frozenVersion version of the frozen copy (-1 before it is frozen)
   * @param freshP50 instance produced → snapshot committed, median, ms
   * @param freshP99 instance produced → snapshot committed, 99th percentile, ms
   * @param latP50 click sent → recommendation received, median over the interval, ms
   * @param latP99 click sent → recommendation received, 99th percentile over the interval, ms
   * @param recallOnline windowed Recall@K of the online lists over all clicks
   * @param recallOnlinePaired windowed Recall@K of the online model on the paired clicks
   * @param recallFrozenPaired windowed Recall@K of the frozen model on the paired clicks
   * @param pairedClicks clicks judged by both (since the freeze)
   */
  record Point(
      double t,
      double clicksPerSec,
      double recsPerSec,
      double modelShare,
      double instances,
      double instancesPerSec,
      double loss,
      double version,
      double servedVersion,
      double frozenVersion,
      double freshP50,
      double freshP99,
      double latP50,
      double latP99,
      double recallOnline,
      double recallOnlinePaired,
      double recallFrozenPaired,
      double pairedClicks) {}

  /** What the trainer and the models report at sampling time. */
  record External(
      double instances,
      double loss,
      double version,
      double servedVersion,
      double frozenVersion,
      double freshP50,
      double freshP99) {}

  private final int k;
  private final long startMillis;
  private final Recall online = new Recall(RECALL_WINDOW);
  private final Recall onlinePaired = new Recall(RECALL_WINDOW);
  private final Recall frozenPaired = new Recall(RECALL_WINDOW);
  // The frozen verdicts of clicks sent but whose recommendations were not read back yet; bounded,
  // so the clicks that never come back (dead letters) cannot make it grow without end.
  private final Map<String, Boolean> pendingFrozen =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_PENDING;
        }
      };
  private long notJudged;
  private final List<Point> points = new ArrayList<>();
  private final double[] intervalLatencies = new double[LATENCY_RING];
  private final double[] recentLatencies = new double[LATENCY_RING];
  private int intervalCount;
  private int recentCount;
  private int recentNext;
  private long clicks;
  private long recs;
  private long modelRecs;
  private long lastClicks;
  private long lastRecs;
  private long lastModelRecs;
  private double lastInstances;
  private double lastSampleT;
  private long firstRecMillis = -1;
  private long firstModelRecMillis = -1;

  LiveFigures(int k, long startMillis) {
    this.k = k;
    this.startMillis = startMillis;
  }

  int k() {
    return k;
  }

  long startMillis() {
    return startMillis;
  }

  /**
   * A click was sent; judges it against the frozen model's newest list for the user, to be paired
   * with the stream app's verdict when the click's recommendations come back.
   *
   * @param frozenBefore newest list of the frozen model, or null (not frozen or not scored yet)
   */
  synchronized void click(String eventId, String item, List<String> frozenBefore) {
    clicks++;
    if (frozenBefore != null && eventId != null) {
      int n = Math.min(k, frozenBefore.size());
      pendingFrozen.put(eventId, frozenBefore.subList(0, n).contains(item));
    }
  }

  /**
   * The stream app's verdict on a click, read from the click's recommendations.
   *
   * @param judgement null when the user had no list yet (not judged)
   */
  synchronized void judged(String eventId, Judgement judgement) {
    Boolean frozenHit = eventId == null ? null : pendingFrozen.remove(eventId);
    if (judgement == null) {
      notJudged++;
      return;
    }
    boolean hit = judgement.getHit();
    online.record(hit);
    if (frozenHit != null) {
      onlinePaired.record(hit);
      frozenPaired.record(frozenHit);
    }
  }

  /** Clicks of users who had no list yet, so not judged. */
  synchronized long notJudged() {
    return notJudged;
  }

  /** A recommendation arrived {@code latencyMs} after its click was sent. */
  synchronized void recommendation(boolean fromModel, long latencyMs, long nowMillis) {
    recs++;
    if (firstRecMillis < 0) {
      firstRecMillis = nowMillis;
    }
    if (fromModel) {
      modelRecs++;
      if (firstModelRecMillis < 0) {
        firstModelRecMillis = nowMillis;
      }
    }
    if (intervalCount < LATENCY_RING) {
      intervalLatencies[intervalCount++] = latencyMs;
    }
    recentLatencies[recentNext] = latencyMs;
    recentNext = (recentNext + 1) % LATENCY_RING;
    recentCount = Math.min(recentCount + 1, LATENCY_RING);
  }

  /** Takes one sample at {@code nowMillis}. */
  synchronized Point sample(long nowMillis, External ext) {
    double t = (nowMillis - startMillis) / 1000.0;
    double dt = Math.max(1e-3, t - lastSampleT);
    double[] lat = Arrays.copyOf(intervalLatencies, intervalCount);
    Arrays.sort(lat);
    long newRecs = recs - lastRecs;
    Point p =
        new Point(
            t,
            (clicks - lastClicks) / dt,
            newRecs / dt,
            newRecs == 0 ? Double.NaN : (double) (modelRecs - lastModelRecs) / newRecs,
            ext.instances(),
            Math.max(0, ext.instances() - lastInstances) / dt,
            ext.loss(),
            ext.version(),
            ext.servedVersion(),
            ext.frozenVersion(),
            ext.freshP50(),
            ext.freshP99(),
            percentile(lat, 50),
            percentile(lat, 99),
            online.events() == 0 ? Double.NaN : online.windowedRecall(),
            onlinePaired.events() == 0 ? Double.NaN : onlinePaired.windowedRecall(),
            frozenPaired.events() == 0 ? Double.NaN : frozenPaired.windowedRecall(),
            frozenPaired.events());
    lastSampleT = t;
    lastClicks = clicks;
    lastRecs = recs;
    lastModelRecs = modelRecs;
    lastInstances = Double.isNaN(ext.instances()) ? lastInstances : ext.instances();
    intervalCount = 0;
    points.add(p);
    if (points.size() > MAX_POINTS) {
      points.subList(0, points.size() - MAX_POINTS).clear();
    }
    return p;
  }

  /** The samples so far (a copy). */
  synchronized List<Point> points() {
    return new ArrayList<>(points);
  }

  /** The newest sample, or null. */
  synchronized Point last() {
    return points.isEmpty() ? null : points.get(points.size() - 1);
  }

  /** Percentile of the most recent latencies (up to {@value #LATENCY_RING}), ms; NaN if none. */
  synchronized double recentLatency(double p) {
    double[] copy = Arrays.copyOf(recentLatencies, recentCount);
    Arrays.sort(copy);
    return percentile(copy, p);
  }

  synchronized long clicks() {
    return clicks;
  }

  synchronized long recommendations() {
    return recs;
  }

  synchronized long modelRecommendations() {
    return modelRecs;
  }

  /** Wall-clock ms of the first recommendation received, or -1. */
  synchronized long firstRecommendationMillis() {
    return firstRecMillis;
  }

  /** Wall-clock ms of the first recommendation from a model, or -1. */
  synchronized long firstModelRecommendationMillis() {
    return firstModelRecMillis;
  }

  /** Recall@K of the online lists over every click since the start. */
  synchronized double onlineRecallOverall() {
    return online.recall();
  }

  /** Recall@K since the freeze on the paired clicks: {online, frozen, clicks}. */
  synchronized double[] pairedRecallOverall() {
    return new double[] {onlinePaired.recall(), frozenPaired.recall(), frozenPaired.events()};
  }

  /** Hits over judged clicks, since the start and over the last {@code window}. */
  private static final class Recall {
    private final boolean[] recent;
    private long events;
    private long hits;
    private int windowHits;
    private int next;

    Recall(int window) {
      recent = new boolean[window];
    }

    void record(boolean hit) {
      if (events >= recent.length && recent[next]) {
        windowHits--;
      }
      recent[next] = hit;
      if (hit) {
        windowHits++;
        hits++;
      }
      next = (next + 1) % recent.length;
      events++;
    }

    long events() {
      return events;
    }

    double recall() {
      return events == 0 ? 0 : (double) hits / events;
    }

    double windowedRecall() {
      long n = Math.min(events, recent.length);
      return n == 0 ? 0 : (double) windowHits / n;
    }
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }
}
