package dev.freshet.evaluation.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.data.ClickEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineJudgeTest {

  private static int time;

  private static ClickEvent click(String user, String item) {
    time++;
    return new ClickEvent(user, null, null, null, item, null, List.of(), time, user + "#" + time);
  }

  @Test
  void shouldJudgeOnlinePopularityAgainstTheListMadeAfterTheUsersPreviousClick() {
    BaselineJudge judge = new BaselineJudge(2, 10, 5);
    PrequentialScore score = new PrequentialScore();
    List<BaselineJudge.Ranks> ranks = new ArrayList<>();
    for (ClickEvent c :
        List.of(
            click("u1", "a"), // first click of u1: not judged; u1's list: [] (only a, seen)
            click("u2", "a"), // first of u2; counts a=2; u2's list: []
            click("u2", "b"), // u2's list was []: miss; counts a=2 b=1; u2's list: []
            click("u3", "c"), // first of u3; counts a=2 b=1 c=1; u3's list: [a, b]
            click("u1", "b"), // u1's list (after its click 1) was []: miss;
            //                   counts a=2 b=2 c=1; u1's list leaves out a, b: [c]
            click("u3", "b"), // u3's list [a, b]: hit at rank 1; counts b=3 a=2 c=1;
            //                   u3's list leaves out c, b: [a]
            click("u1", "c"), // u1's list [c]: hit at rank 0
            click("u3", "d"))) { // u3's list [a]: miss
      BaselineJudge.Ranks r = judge.observe(c);
      ranks.add(r);
      if (r != null) {
        score.record(r.popularity());
      }
    }

    assertThat(ranks.get(0)).isNull();
    assertThat(ranks.get(1)).isNull();
    assertThat(ranks.get(3)).isNull();
    assertThat(ranks.stream().filter(r -> r != null).map(BaselineJudge.Ranks::popularity))
        .containsExactly(-1, -1, 1, 0, -1);
    assertThat(score.judged()).isEqualTo(5);
    assertThat(score.hitRatio()).isEqualTo(2.0 / 5);
    double ndcg = (1 / (Math.log(3) / Math.log(2)) + 1) / 5;
    assertThat(score.ndcg()).isCloseTo(ndcg, within(1e-12));
  }

  @Test
  void shouldRecommendTheLastItemsCoOccurringNeighboursFirst() {
    BaselineJudge judge = new BaselineJudge(3, 10, 5);
    judge.observe(click("u1", "a"));
    judge.observe(click("u1", "b")); // a↔b 1
    judge.observe(click("u2", "z"));
    judge.observe(click("u2", "z2"));
    judge.observe(click("u3", "a")); // u3's list: neighbours of a = [b], then popular
    BaselineJudge.Ranks r = judge.observe(click("u3", "b"));
    assertThat(r.coOccurrence()).isZero();
  }

  @Test
  void shouldBreakPopularityTiesByItemId() {
    OnlinePopularity p = new OnlinePopularity();
    p.update("b");
    p.update("a");
    p.update("c");
    p.update("c");
    assertThat(p.top(3, java.util.Set.of())).containsExactly("c", "a", "b");
    assertThat(p.top(3, java.util.Set.of("a"))).containsExactly("c", "b");
  }
}
