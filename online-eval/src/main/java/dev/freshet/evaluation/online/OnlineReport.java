package dev.freshet.evaluation.online;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;

/**
 * What {@link OnlineEvaluation} measured.
 *
 * @param source the clicks replayed
 * @param clicks clicks sent
 * @param users distinct users among the accepted clicks
 * @param accepted clicks the stream app accepted (each got a list)
 * @param deadLettered clicks the stream app dead-lettered
 * @param notJudged accepted clicks of users with no earlier click (no list to test against)
 * @param judgementMismatches judged clicks whose {@code judgement} on the Recommendations record
 *     disagreed with the list read from the topic for the user's previous click (0 when the
 *     pipeline is faithful)
 * @param k K of HR@K and NDCG@K
 * @param seed the model's seed
 * @param frozenAfter the share of the log after which the copy was frozen
 * @param frozenAtClick the index of the first click after the freeze, or -1
 * @param frozenVersion the frozen snapshot's version, or -1
 * @param publishEvery instances per snapshot
 * @param historySize the users' window (and the items each list leaves out)
 * @param recommenders one row per recommender, in {@link OnlineEvaluation#RECOMMENDERS} order
 * @param seconds wall time of the replay
 */
public record OnlineReport(
    String source,
    long clicks,
    long users,
    long accepted,
    long deadLettered,
    long notJudged,
    long judgementMismatches,
    int k,
    long seed,
    double frozenAfter,
    long frozenAtClick,
    long frozenVersion,
    int publishEvery,
    int historySize,
    List<Row> recommenders,
    double seconds) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One recommender's figures.
   *
   * @param name online, frozen, popularity or co-occurrence
   * @param all over every judged click (null for the frozen copy, which exists only after the
   *     freeze)
   * @param paired over the clicks after the freeze whose user's previous click also came after it,
   *     the same clicks for every recommender
   * @param hitRatioByTenth HR@K over each tenth of the log, in log order (empty for the frozen
   *     copy)
   */
  public record Row(String name, Score all, Score paired, List<Double> hitRatioByTenth) {}

  /**
   * @param judged clicks judged
   * @param hits hits
   * @param hitRatio HR@K
   * @param ndcg NDCG@K
   */
  public record Score(long judged, long hits, double hitRatio, double ndcg) {
    static Score of(PrequentialScore s) {
      return new Score(s.judged(), s.hits(), s.hitRatio(), s.ndcg());
    }
  }

  /** The row of {@code name}. */
  public Row row(String name) {
    return recommenders.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no recommender " + name));
  }

  /** Judged clicks: accepted minus first clicks. */
  public long judged() {
    return accepted - notJudged;
  }

  /** The report as JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("report not serialisable", e);
    }
  }

  /** The report as a few lines of text, with one table. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s%n%,d clicks sent, %,d accepted, %,d dead-lettered, %,d users; %,d judged (%,d first"
                + " clicks not judged); judgement mismatches %d; %.0f s%n",
            source,
            clicks,
            accepted,
            deadLettered,
            users,
            judged(),
            notJudged,
            judgementMismatches,
            seconds));
    sb.append(
        String.format(
            Locale.ROOT,
            "K=%d, seed %d, a snapshot every %d instances, lists leave out the user's last %d"
                + " clicks; frozen copy v%d taken after %,d clicks (%.0f%% of the log)%n",
            k,
            seed,
            publishEvery,
            historySize,
            frozenVersion,
            frozenAtClick,
            frozenAfter * 100));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-14s %10s %9s %9s   %10s %9s %9s%n",
            "recommender",
            "judged",
            "HR@" + k,
            "NDCG@" + k,
            "paired",
            "HR@" + k,
            "NDCG@" + k));
    for (Row r : recommenders) {
      sb.append(String.format(Locale.ROOT, "%-14s ", r.name()));
      if (r.all() == null) {
        sb.append(String.format(Locale.ROOT, "%10s %9s %9s ", "-", "-", "-"));
      } else {
        sb.append(
            String.format(
                Locale.ROOT,
                "%,10d %9.4f %9.4f ",
                r.all().judged(),
                r.all().hitRatio(),
                r.all().ndcg()));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "  %,10d %9.4f %9.4f%n",
              r.paired().judged(),
              r.paired().hitRatio(),
              r.paired().ndcg()));
    }
    sb.append("HR@").append(k).append(" by tenth of the log:\n");
    for (Row r : recommenders) {
      if (r.hitRatioByTenth().isEmpty()) {
        continue;
      }
      sb.append(String.format(Locale.ROOT, "  %-14s", r.name()));
      for (double h : r.hitRatioByTenth()) {
        sb.append(String.format(Locale.ROOT, " %.3f", h));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
