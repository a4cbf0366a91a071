package dev.freshet.streams.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesMergeTest {

  private static InstanceSampler.Point point(
      long t, double recs, double judged, double hits, double latencyMax, double instances) {
    return new InstanceSampler.Point(
        t,
        recs,
        1,
        0,
        0.5,
        judged,
        hits,
        hits * 0.5,
        latencyMax / 2,
        latencyMax,
        3,
        instances,
        (t - 10) * 1000.0,
        (t - 60) * 1000.0);
  }

  @Test
  void shouldSumRatesAndWeighQualityByEachInstancesJudgedClicks() {
    List<InstanceSampler.Point> a =
        List.of(point(100, 10, 1000, 100, 40, 500), point(101, 12, 1000, 110, 50, 500));
    List<InstanceSampler.Point> b =
        List.of(point(101, 30, 100, 50, 90, 500), point(102, 5, 100, 50, 20, 500));

    ObjectNode s = SeriesMerge.merge(a, List.of(a, b));

    assertThat(values(s, "t")).containsExactly(100.0, 101.0, 102.0);
    assertThat(values(s, "instances")).containsExactly(1.0, 2.0, 1.0);
    assertThat(values(s, "recsModel")).containsExactly(10.0, 42.0, 5.0);
    assertThat(values(s, "deadLetters")).containsExactly(0.5, 1.0, 0.5);
    // (110 + 50) / (1000 + 100), not the mean of 0.11 and 0.5
    assertThat(s.get("hr").get(1).asDouble()).isCloseTo(160.0 / 1100, within(1e-12));
    assertThat(s.get("ndcg").get(1).asDouble()).isCloseTo(80.0 / 1100, within(1e-12));
    assertThat(values(s, "latencyMaxMs")).containsExactly(40.0, 90.0, 20.0);
    assertThat(values(s, "latencyAvgMs")).containsExactly(20.0, 35.0, 10.0);
    // The model's figures are the asking instance's (a): none at 102.
    assertThat(s.get("modelAgeS").get(0).asDouble()).isEqualTo(10.0);
    assertThat(s.get("eventLagS").get(1).asDouble()).isEqualTo(60.0);
    assertThat(s.get("servedVersion").get(2).isNull()).isTrue();
  }

  @Test
  void shouldTakeTheTrainersRateOverThirtySecondsAndLeaveGapsEmpty() {
    List<InstanceSampler.Point> a =
        List.of(
            point(100, 1, 0, Double.NaN, Double.NaN, 1000),
            point(130, 1, 0, Double.NaN, Double.NaN, 4000));

    ObjectNode s = SeriesMerge.merge(a, List.of(a));

    assertThat(s.get("trainedPerSec").get(0).isNull()).isTrue();
    assertThat(s.get("trainedPerSec").get(1).asDouble()).isEqualTo(100.0);
    assertThat(s.get("hr").get(0).isNull()).as("no judged clicks: no HR").isTrue();
    assertThat(s.get("latencyMaxMs").get(0).isNull()).isTrue();
  }

  @Test
  void shouldLeaveTheClickAgeOfASnapshotThatLearnedNoClickEmpty() {
    InstanceSampler.Point initial =
        new InstanceSampler.Point(
            100, 0, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1, 0, 99_000, 0);

    ObjectNode s = SeriesMerge.merge(List.of(initial), List.of(List.of(initial)));

    assertThat(s.get("eventLagS").get(0).isNull()).isTrue();
    assertThat(s.get("modelAgeS").get(0).asDouble()).isEqualTo(1.0);
  }

  @Test
  void shouldReadBackThePointsAnInstanceSendsWithNanAsNull() throws Exception {
    ObjectMapper json = new ObjectMapper();
    InstanceSampler.Point p = point(7, 1, 0, Double.NaN, Double.NaN, 1);

    InstanceSampler.Point back =
        json.readValue(json.writeValueAsBytes(p), InstanceSampler.Point.class);

    assertThat(back.t()).isEqualTo(7);
    assertThat(back.windowHits()).isNaN();
    assertThat(back.latencyMaxMs()).isNaN();
    assertThat(back.recsModel()).isEqualTo(1.0);
  }

  private static List<Double> values(JsonNode s, String key) {
    return java.util.stream.StreamSupport.stream(s.get(key).spliterator(), false)
        .map(JsonNode::asDouble)
        .toList();
  }
}
