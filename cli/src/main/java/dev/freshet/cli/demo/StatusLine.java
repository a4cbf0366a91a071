package dev.freshet.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** The demo's terminal output: one status line per second and the summary at the end. */
final class StatusLine {

  private StatusLine() {}

  /**
   * One line, e.g. {@code [ 42s] 100 clicks/s | trained 4100, loss 2.31 | model v12 (frozen v3) |
   * fresh p50 0.9s p99 1.9s | click→rec p50 120ms p99 300ms | R@20 online 0.081 frozen 0.052}.
   */
  static String format(LiveFigures.Point p, int k) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "[%4.0fs] %4.0f clicks/s", p.t(), p.clicksPerSec()));
    sb.append(String.format(Locale.ROOT, " | trained %.0f", nz(p.instances())));
    if (Double.isFinite(p.loss())) {
      sb.append(String.format(Locale.ROOT, ", loss %.3f", p.loss()));
    }
    sb.append(" | model ").append(version(p.servedVersion()));
    if (p.frozenVersion() >= 0) {
      sb.append(" (frozen ").append(version(p.frozenVersion())).append(')');
    }
    sb.append(" | fresh p50 ")
        .append(ms(p.freshP50()))
        .append(" p99 ")
        .append(ms(p.freshP99()))
        .append(" | click→rec p50 ")
        .append(ms(p.latP50()))
        .append(" p99 ")
        .append(ms(p.latP99()))
        .append(" | R@")
        .append(k)
        .append(" online ")
        .append(ratio(p.recallOnline()));
    if (Double.isFinite(p.recallFrozenPaired())) {
      sb.append(" (paired ")
          .append(ratio(p.recallOnlinePaired()))
          .append(" vs frozen ")
          .append(ratio(p.recallFrozenPaired()))
          .append(')');
    }
    return sb.toString();
  }

  /** The end-of-run summary (several lines). */
  static String summary(Demo demo) {
    ObjectNode s = demo.status();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Sent %d clicks, received %d recommendations (%d from a model).%n",
            s.get("clicksSent").asLong(),
            s.get("recommendations").asLong(),
            s.get("modelRecommendations").asLong()));
    sb.append("First recommendation ")
        .append(seconds(s, "firstRecommendationMs"))
        .append(", first model recommendation ")
        .append(seconds(s, "firstModelRecommendationMs"))
        .append(" after the first click (setup took ")
        .append(String.format(Locale.ROOT, "%.1f s", s.get("setupMs").asLong() / 1000.0))
        .append(").\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Recall@%d over the run: online %.3f; since the freeze (v%d, %d paired clicks):"
                + " online %.3f vs frozen %.3f.",
            s.get("k").asInt(),
            s.get("recallOnlineOverall").asDouble(),
            s.get("frozenVersion").asLong(),
            s.get("pairedClicks").asLong(),
            s.get("recallOnlinePairedOverall").asDouble(),
            s.get("recallFrozenPairedOverall").asDouble()));
    return sb.toString();
  }

  private static String seconds(ObjectNode s, String field) {
    return s.get(field).isNull()
        ? "never"
        : String.format(Locale.ROOT, "%.1f s", s.get(field).asLong() / 1000.0);
  }

  private static double nz(double v) {
    return Double.isFinite(v) ? v : 0;
  }

  private static String version(double v) {
    return v < 0 ? "none (popularity)" : "v" + (long) v;
  }

  static String ms(double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    return v < 1000
        ? String.format(Locale.ROOT, "%.0fms", v)
        : String.format(Locale.ROOT, "%.1fs", v / 1000);
  }

  private static String ratio(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
  }
}
