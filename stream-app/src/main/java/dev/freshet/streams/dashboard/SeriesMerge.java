package dev.freshet.streams.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole application's series from each instance's points: per epoch second, rates are summed,
 * the prequential window's judged clicks, hits and gains are summed before HR@K and NDCG@K are
 * taken (so each instance weighs by its clicks), latency averages are averaged and maxima maxed.
 * The model's figures (version, age, instances trained per second) come from the asking instance:
 * every instance reads the same snapshots.
 */
final class SeriesMerge {

  /** Seconds over which the trainer's instances per second are taken. */
  static final int TRAINER_RATE_SECONDS = 30;

  private SeriesMerge() {}

  private static final class Second {
    int instances;
    double recsModel;
    double recsPopularity;
    double duplicates;
    double deadLetters;
    double judged;
    double hits;
    double gains;
    double latencySum;
    int latencyN;
    double latencyMax = Double.NaN;
  }

  /**
   * Columns {@code t} (epoch s), {@code instances}, {@code recsModel}, {@code recsPopularity},
   * {@code duplicates}, {@code deadLetters}, {@code hr}, {@code ndcg}, {@code judged}, {@code
   * latencyAvgMs}, {@code latencyMaxMs}, and from {@code local}: {@code servedVersion}, {@code
   * modelAgeS} (since the trainer wrote the served snapshot), {@code eventLagS} (since the newest
   * click in it), {@code trainedPerSec}. Null where a figure does not exist.
   */
  static ObjectNode merge(
      List<InstanceSampler.Point> local, List<List<InstanceSampler.Point>> all) {
    TreeMap<Long, Second> seconds = new TreeMap<>();
    for (List<InstanceSampler.Point> instance : all) {
      for (InstanceSampler.Point p : instance) {
        Second s = seconds.computeIfAbsent(p.t(), k -> new Second());
        s.instances++;
        s.recsModel += zero(p.recsModel());
        s.recsPopularity += zero(p.recsPopularity());
        s.duplicates += zero(p.duplicates());
        s.deadLetters += zero(p.deadLetters());
        if (!Double.isNaN(p.windowHits()) && p.windowJudged() > 0) {
          s.judged += p.windowJudged();
          s.hits += p.windowHits();
          s.gains += zero(p.windowNdcgSum());
        }
        if (!Double.isNaN(p.latencyAvgMs())) {
          s.latencySum += p.latencyAvgMs();
          s.latencyN++;
        }
        if (!Double.isNaN(p.latencyMaxMs())) {
          s.latencyMax =
              Double.isNaN(s.latencyMax)
                  ? p.latencyMaxMs()
                  : Math.max(s.latencyMax, p.latencyMaxMs());
        }
      }
    }
    Map<Long, InstanceSampler.Point> mine = new TreeMap<>();
    local.forEach(p -> mine.put(p.t(), p));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    String[] names = {
      "t",
      "instances",
      "recsModel",
      "recsPopularity",
      "duplicates",
      "deadLetters",
      "hr",
      "ndcg",
      "judged",
      "latencyAvgMs",
      "latencyMaxMs",
      "servedVersion",
      "modelAgeS",
      "eventLagS",
      "trainedPerSec"
    };
    Map<String, ArrayNode> cols = new TreeMap<>();
    for (String n : names) {
      cols.put(n, out.putArray(n));
    }
    for (Map.Entry<Long, Second> e : seconds.entrySet()) {
      long t = e.getKey();
      Second s = e.getValue();
      cols.get("t").add(t);
      cols.get("instances").add(s.instances);
      cols.get("recsModel").add(s.recsModel);
      cols.get("recsPopularity").add(s.recsPopularity);
      cols.get("duplicates").add(s.duplicates);
      cols.get("deadLetters").add(s.deadLetters);
      add(cols.get("hr"), s.judged > 0 ? s.hits / s.judged : Double.NaN);
      add(cols.get("ndcg"), s.judged > 0 ? s.gains / s.judged : Double.NaN);
      cols.get("judged").add(s.judged);
      add(cols.get("latencyAvgMs"), s.latencyN > 0 ? s.latencySum / s.latencyN : Double.NaN);
      add(cols.get("latencyMaxMs"), s.latencyMax);
      InstanceSampler.Point p = mine.get(t);
      add(
          cols.get("servedVersion"),
          p == null || p.servedVersion() < 0 ? Double.NaN : p.servedVersion());
      add(cols.get("modelAgeS"), p == null ? Double.NaN : t - p.modelWrittenAt() / 1000.0);
      // A snapshot that learned from no click yet (the initial parameters) has no event time.
      add(
          cols.get("eventLagS"),
          p == null || !(p.modelMaxEventTime() > 0)
              ? Double.NaN
              : t - p.modelMaxEventTime() / 1000.0);
      InstanceSampler.Point before = mine.get(t - TRAINER_RATE_SECONDS);
      add(
          cols.get("trainedPerSec"),
          p == null || before == null
              ? Double.NaN
              : Math.max(0, p.instancesApplied() - before.instancesApplied())
                  / TRAINER_RATE_SECONDS);
    }
    return out;
  }

  private static double zero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  private static void add(ArrayNode a, double v) {
    if (Double.isFinite(v)) {
      a.add(v);
    } else {
      a.addNull();
    }
  }
}
