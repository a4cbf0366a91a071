package dev.freshet.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.data.ClickEvent;
import dev.freshet.data.ClickedItem;
import dev.freshet.data.TsvReader;
import dev.freshet.data.UserSequence;
import dev.freshet.data.eval.CoOccurrenceRecommender;
import dev.freshet.data.eval.EvaluationReport;
import dev.freshet.data.eval.Evaluator;
import dev.freshet.data.eval.MostPopularRecommender;
import dev.freshet.data.eval.Split;
import dev.freshet.data.eval.TimeSplit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticClickGeneratorTest {

  private static final SyntheticConfig SMALL =
      SyntheticConfig.builder()
          .users(300)
          .initialItems(400)
          .newItemsPerDay(10)
          .days(20)
          .meanClicksPerUser(30)
          .seed(7)
          .build();

  private static List<ClickEvent> clicks(SyntheticConfig config) {
    List<ClickEvent> out = new ArrayList<>();
    new SyntheticClickGenerator(config).clicks().forEachRemaining(out::add);
    return out;
  }

  @Test
  void shouldProduceIdenticalOutputForTheSameSeedAndDifferentOutputForAnother() {
    SyntheticClickGenerator generator = new SyntheticClickGenerator(SMALL);
    List<ClickEvent> first = clicks(SMALL);

    assertThat(generator.stream().toList()).isEqualTo(first);
    assertThat(clicks(SMALL.toBuilder().build())).isEqualTo(first);
    assertThat(new SyntheticClickGenerator(SMALL).items()).isEqualTo(generator.items());
    assertThat(clicks(SMALL.toBuilder().seed(8).build())).isNotEqualTo(first);
  }

  @Test
  void shouldEmitAWellFormedTimeOrderedStream() {
    List<ClickEvent> clicks = clicks(SMALL);
    Map<String, Long> arrival = new HashMap<>();
    for (SyntheticItem item : new SyntheticClickGenerator(SMALL).items()) {
      arrival.put(item.videoId(), item.arrivalMillis());
    }
    long end = SMALL.startMillis() + (long) (SMALL.days() * 86_400_000L);

    assertThat(clicks).hasSizeBetween(300 * 15, 300 * 46);
    assertThat(clicks).map(ClickEvent::eventId).doesNotHaveDuplicates();
    Set<String> userItem = new HashSet<>();
    for (int i = 0; i < clicks.size(); i++) {
      ClickEvent c = clicks.get(i);
      if (i > 0) {
        assertThat(c.eventTimeMillis()).isGreaterThanOrEqualTo(clicks.get(i - 1).eventTimeMillis());
      }
      assertThat(c.eventTimeMillis()).isBetween(SMALL.startMillis(), end);
      assertThat(c.eventTimeMillis()).isGreaterThanOrEqualTo(arrival.get(c.videoId()));
      assertThat(userItem.add(c.userId() + "/" + c.videoId()))
          .as("no repeated item per user")
          .isTrue();
    }
    assertThat(clicks).map(ClickEvent::province).containsNull();
    assertThat(clicks.stream().map(ClickEvent::province).distinct().count()).isGreaterThan(5);
    assertThat(clicks.stream().filter(c -> c.phone() == null).count())
        .isLessThan(clicks.size() / 5);
  }

  @Test
  void shouldGiveTheHeadOfTheCatalogueFarMoreClicksThanTheTail() {
    // A catalogue large enough that users do not exhaust the head (no item is clicked twice by a
    // user).
    SyntheticConfig wide = SMALL.toBuilder().initialItems(2000).build();
    double zipf = headToTailPerItem(wide);
    double flat = headToTailPerItem(wide.toBuilder().zipfExponent(0).build());

    assertThat(zipf).as("clicks per top-10% item / per bottom-50% item").isGreaterThan(10);
    assertThat(zipf).isGreaterThan(3 * flat);
  }

  /** Mean clicks of the 10% most clicked items over mean clicks of the 50% least clicked. */
  private static double headToTailPerItem(SyntheticConfig config) {
    Map<String, Long> counts =
        clicks(config).stream()
            .collect(Collectors.groupingBy(ClickEvent::videoId, Collectors.counting()));
    List<Long> sorted = new ArrayList<>();
    for (SyntheticItem item : new SyntheticClickGenerator(config).items()) {
      sorted.add(counts.getOrDefault(item.videoId(), 0L));
    }
    sorted.sort((a, b) -> Long.compare(b, a));
    int n = sorted.size();
    double head = sorted.subList(0, n / 10).stream().mapToLong(Long::longValue).average().orElse(0);
    double tail = sorted.subList(n / 2, n).stream().mapToLong(Long::longValue).average().orElse(0);
    return head / Math.max(tail, 1e-9);
  }

  @Test
  void shouldIntroduceNewItemsOverTimeAndHaveThemClicked() {
    List<SyntheticItem> items = new SyntheticClickGenerator(SMALL).items();
    assertThat(items).hasSize(SMALL.totalItems()).hasSize(600);
    assertThat(items.get(0).arrivalMillis()).isEqualTo(SMALL.startMillis());
    assertThat(items.get(599).arrivalMillis()).isGreaterThan(items.get(400).arrivalMillis());
    Set<String> late = new HashSet<>();
    for (SyntheticItem item : items.subList(400, 600)) {
      late.add(item.videoId());
    }
    List<ClickEvent> clicks = clicks(SMALL);
    int q = clicks.size() / 4;
    long lateInFirstQuarter =
        clicks.subList(0, q).stream().filter(c -> late.contains(c.videoId())).count();
    long lateInLastQuarter =
        clicks.subList(clicks.size() - q, clicks.size()).stream()
            .filter(c -> late.contains(c.videoId()))
            .count();

    assertThat(lateInLastQuarter).isGreaterThan(3 * Math.max(1, lateInFirstQuarter));
    assertThat(clicks.stream().map(ClickEvent::videoId).filter(late::contains).distinct().count())
        .isGreaterThan(100);
  }

  @Test
  void shouldDriftUsersAwayFromTheirEarlyCategoriesAndMoveTheGlobalMix() {
    SyntheticConfig still = SMALL.toBuilder().driftRatePerDay(0).build();
    SyntheticConfig drifting = SMALL.toBuilder().driftRatePerDay(0.3).build();

    double stayStill = earlyCategoryShareLate(new SyntheticClickGenerator(still).sequences());
    double stayDrifting = earlyCategoryShareLate(new SyntheticClickGenerator(drifting).sequences());
    double mixStill = categoryMixShift(clicks(still));
    double mixDrifting = categoryMixShift(clicks(drifting));

    assertThat(stayStill).isGreaterThan(0.6);
    assertThat(stayDrifting).isLessThan(stayStill - 0.15);
    assertThat(mixDrifting).isGreaterThan(mixStill + 0.05);
  }

  /**
   * Mean over users of: share of last-third clicks whose category was among first-third's top 3.
   */
  private static double earlyCategoryShareLate(List<UserSequence> users) {
    double sum = 0;
    for (UserSequence user : users) {
      List<ClickedItem> c = user.clicks();
      int third = c.size() / 3;
      Map<String, Long> early =
          c.subList(0, third).stream()
              .collect(Collectors.groupingBy(ClickedItem::category, Collectors.counting()));
      Set<String> top =
          early.entrySet().stream()
              .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
              .limit(3)
              .map(Map.Entry::getKey)
              .collect(Collectors.toSet());
      List<ClickedItem> late = c.subList(c.size() - third, c.size());
      sum += (double) late.stream().filter(i -> top.contains(i.category())).count() / late.size();
    }
    return sum / users.size();
  }

  /** Total-variation distance between the category mix of the first and last quarter. */
  private static double categoryMixShift(List<ClickEvent> clicks) {
    int q = clicks.size() / 4;
    Map<String, Double> first = mix(clicks.subList(0, q));
    Map<String, Double> last = mix(clicks.subList(clicks.size() - q, clicks.size()));
    Set<String> keys = new HashSet<>(first.keySet());
    keys.addAll(last.keySet());
    double tv = 0;
    for (String k : keys) {
      tv += Math.abs(first.getOrDefault(k, 0.0) - last.getOrDefault(k, 0.0));
    }
    return tv / 2;
  }

  private static Map<String, Double> mix(List<ClickEvent> clicks) {
    Map<String, Double> m = new HashMap<>();
    for (ClickEvent c : clicks) {
      m.merge(c.category(), 1.0 / clicks.size(), Double::sum);
    }
    return m;
  }

  @Test
  void shouldMakeTheNextClickPredictableFromHistoryBeyondPopularity() {
    Split split =
        TimeSplit.lastFractionPerUser(new SyntheticClickGenerator(SMALL).sequences(), 0.2);
    EvaluationReport report =
        new Evaluator(20, true)
            .evaluate(
                split,
                List.of(
                    MostPopularRecommender.fit(split.train()),
                    CoOccurrenceRecommender.fit(split.train())));

    assertThat(report.results().get(1).recall())
        .isGreaterThan(2 * report.results().get(0).recall());
  }

  @Test
  void shouldWriteTsvThatReadsBackToTheSameSequences(@TempDir Path dir) throws IOException {
    SyntheticClickGenerator generator =
        new SyntheticClickGenerator(SMALL.toBuilder().users(20).build());
    Path file = dir.resolve("clicks.tsv");

    long lines = generator.writeTsv(file, true);

    assertThat(generator.sequences())
        .flatMap(UserSequence::clicks)
        .anyMatch(c -> !c.searchTokens().isEmpty());
    try (TsvReader reader = TsvReader.open(file)) {
      assertThat(reader.stream().toList()).isEqualTo(generator.sequences());
      assertThat(reader.summary().badLineCount()).isZero();
    }
    assertThat(lines).isEqualTo(20);
  }

  @Test
  void shouldDrawSearchTokensDeterministicallyFromTheSeed() {
    List<ClickEvent> first = clicks(SMALL);

    assertThat(clicks(SMALL.toBuilder().build())).isEqualTo(first);
    assertThat(first).anyMatch(c -> !c.searchTokens().isEmpty());
    assertThat(new SyntheticClickGenerator(SMALL).sequences())
        .isEqualTo(new SyntheticClickGenerator(SMALL).sequences());
  }

  @Test
  void shouldLeaveTheClickStreamUnchangedWhateverTheSearchProbability() {
    List<ClickEvent> none = clicks(SMALL.toBuilder().searchProbability(0).build());
    assertThat(none).allMatch(c -> c.searchTokens().isEmpty());

    for (double p : new double[] {0.3, 1.0}) {
      List<ClickEvent> searched = clicks(SMALL.toBuilder().searchProbability(p).build());
      assertThat(searched).hasSameSizeAs(none);
      List<ClickEvent> stripped = new ArrayList<>();
      for (ClickEvent c : searched) {
        stripped.add(withoutSearch(c));
      }
      assertThat(stripped).as("searchProbability %s", p).isEqualTo(none);
    }
    assertThat(clicks(SMALL.toBuilder().searchVocabularyPerCategory(3).build()))
        .map(SyntheticClickGeneratorTest::withoutSearch)
        .isEqualTo(none);
  }

  private static ClickEvent withoutSearch(ClickEvent c) {
    return new ClickEvent(
        c.userId(),
        c.province(),
        c.city(),
        c.phone(),
        c.videoId(),
        c.category(),
        c.tags(),
        c.eventTimeMillis(),
        c.eventId());
  }

  @Test
  void shouldGiveRoughlyTheConfiguredShareOfClicksSearchTokensThatCarrySignal() {
    List<ClickEvent> clicks = clicks(SMALL);
    long searched = clicks.stream().filter(c -> !c.searchTokens().isEmpty()).count();
    long tokens = 0;
    long ofClickedCategory = 0;
    for (ClickEvent c : clicks) {
      assertThat(c.searchTokens()).hasSizeLessThanOrEqualTo(3).doesNotHaveDuplicates();
      for (String token : c.searchTokens()) {
        assertThat(token).matches("s\\d+x\\d+");
        int x = token.indexOf('x');
        assertThat(Integer.parseInt(token.substring(x + 1)))
            .isLessThan(SMALL.searchVocabularyPerCategory());
        tokens++;
        if (("c" + token.substring(1, x)).equals(c.category())) {
          ofClickedCategory++;
        }
      }
    }

    assertThat(clicks).hasSizeGreaterThan(3000);
    assertThat((double) searched / clicks.size()).isCloseTo(0.3, within(0.05));
    assertThat((double) tokens / searched).isBetween(1.5, 2.5);
    assertThat((double) ofClickedCategory / tokens).isGreaterThan(0.6);
    double share =
        clicks(SMALL.toBuilder().searchProbability(0.7).build()).stream()
                .filter(c -> !c.searchTokens().isEmpty())
                .count()
            / (double) clicks.size();
    assertThat(share).isCloseTo(0.7, within(0.05));
  }

  @Test
  void shouldRejectInvalidConfigurationNamingTheParameter() {
    assertThatThrownBy(() -> SyntheticConfig.builder().searchProbability(1.01).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("searchProbability must be in [0, 1]");
    assertThatThrownBy(() -> SyntheticConfig.builder().searchProbability(-0.1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("searchProbability");
    assertThatThrownBy(() -> SyntheticConfig.builder().searchProbability(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("searchProbability");
    assertThatThrownBy(() -> SyntheticConfig.builder().searchVocabularyPerCategory(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("searchVocabularyPerCategory");
    assertThatThrownBy(() -> SyntheticConfig.builder().users(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("users");
    assertThatThrownBy(() -> SyntheticConfig.builder().sequentialProbability(1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sequentialProbability");
    assertThatThrownBy(() -> SyntheticConfig.builder().categories(2).interestsPerUser(3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interestsPerUser");
    assertThatThrownBy(() -> SyntheticConfig.builder().days(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("days");
  }
}
