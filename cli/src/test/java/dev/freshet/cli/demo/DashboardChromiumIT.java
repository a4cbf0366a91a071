package dev.freshet.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.freshet.testkit.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through a real browser: the demo runs in-process (broker, registry, stream app,
 * trainer, feeder at a high rate with a small catalogue); once model recommendations flow and the
 * online and frozen recall series have points, headless Chromium loads the dashboard with {@code
 * ?user=} and we check the rendered DOM: every chart has data, the recall chart shows the frozen
 * copy, and the user lookup shows the user's clicks and top-N with scores. The screenshot is kept
 * as {@code target/dashboard.png}.
 *
 * <p>Skipped (with the reason) where Chromium is not installed ({@code apt-get install chromium}).
 */
class DashboardChromiumIT {

  private static final Duration DEADLINE = Duration.ofSeconds(100);

  @TempDir Path tmp;

  @Test
  void shouldRenderChartsWithDataAndTheUsersRecommendationsInHeadlessChromium() throws Exception {
    Optional<HeadlessChromium> chromium = HeadlessChromium.find(tmp);
    assumeTrue(
        chromium.isPresent(),
        "chromium is not installed (apt-get install -y chromium); skipping the browser test");

    DemoSettings settings =
        new DemoSettings()
            .dir(tmp.resolve("demo"))
            .rate(250)
            .partitions(1)
            .dashboardPort(0)
            .frozenAfter(Duration.ofSeconds(6))
            .syntheticUsers(300)
            .syntheticItems(400)
            .topK(20);
    try (Demo demo = Demo.start(settings, System.out)) {
      awaitTrue(
          () -> {
            LiveFigures.Point p = demo.figures().last();
            return demo.figures().modelRecommendations() > 0
                && p != null
                && Double.isFinite(p.recallOnlinePaired())
                && Double.isFinite(p.recallFrozenPaired())
                && userWithModelRecommendations(demo).isPresent();
          },
          "model recommendations, a frozen copy and paired recall points");
      assertThat(demo.trainerFailure()).isNull();
      String user = userWithModelRecommendations(demo).orElseThrow();
      String url = demo.dashboardUrl() + "?user=" + user;

      String dom = chromium.get().dumpDom(url);
      Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
      Files.deleteIfExists(screenshot);
      chromium.get().screenshot(url, screenshot);
      Files.writeString(Path.of("target", "dashboard-dom.html"), dom);

      Map<String, Integer> points = new HashMap<>();
      Matcher m = Pattern.compile("id=\"chart-(\\w+)\" data-points=\"(\\d+)\"").matcher(dom);
      while (m.find()) {
        points.put(m.group(1), Integer.parseInt(m.group(2)));
      }
      assertThat(points).containsOnlyKeys("throughput", "loss", "recall", "latency", "freshness");
      assertThat(points.values()).allSatisfy(n -> assertThat(n).isGreaterThan(1));
      assertThat(dom)
          .containsPattern(
              "data-key=\"recallFrozenPaired\">.*?frozen v\\d+ \\(paired\\) <b>0\\.\\d{3}</b>");
      assertThat(dom).containsPattern("data-key=\"recallOnline\">.*?<b>0\\.\\d{3}</b>");
      assertThat(dom).contains("data-user=\"" + user + "\"");
      assertThat(dom).containsPattern("<table class=\"recs\" data-count=\"20\">");
      assertThat(dom).containsPattern("<span class=\"badge\">MODEL v\\d+</span>");
      assertThat(count(dom, "<tr class=\"rec\">")).isGreaterThanOrEqualTo(20);
      assertThat(dom).containsPattern("<table class=\"history\" data-count=\"[1-9]\\d*\">");
      assertThat(dom).contains("data-loaded=\"true\"");
      assertThat(screenshot).isNotEmptyFile();

      // Score bars grow with the score: the list is best first, so the widths never increase.
      Matcher recs = Pattern.compile("<table class=\"recs\".*?</table>").matcher(dom);
      assertThat(recs.find()).isTrue();
      List<Double> widths = new ArrayList<>();
      Matcher w =
          Pattern.compile("<td class=\"bar\"><span style=\"width:([0-9.]+)%").matcher(recs.group());
      while (w.find()) {
        widths.add(Double.parseDouble(w.group(1)));
      }
      assertThat(widths).hasSize(20).first().isEqualTo(100.0);
      assertThat(widths).isSortedAccordingTo(Comparator.reverseOrder());
      // Every chart's subtitle says what it compares.
      Matcher sub = Pattern.compile("<p class=\"sub\">([^<]*)</p>").matcher(dom);
      List<String> subtitles = new ArrayList<>();
      while (sub.find()) {
        subtitles.add(sub.group(1));
      }
      assertThat(subtitles)
          .hasSize(5)
          .allSatisfy(t -> assertThat(t).containsAnyOf(" vs ", "against"));
    }
  }

  private static Optional<String> userWithModelRecommendations(Demo demo) {
    for (String u : demo.recentUsers()) {
      RecommendationMonitor.Received r = demo.received(u);
      if (r != null && r.source().equals("MODEL")) {
        return Optional.of(u);
      }
    }
    return Optional.empty();
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
