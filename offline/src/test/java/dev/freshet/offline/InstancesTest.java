package dev.freshet.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import dev.freshet.model.Instance;
import dev.freshet.model.Item;
import dev.freshet.model.UserContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstancesTest {

  private static UserSequence user(int clicks) {
    List<ClickedItem> list = new ArrayList<>();
    for (int i = 0; i < clicks; i++) {
      list.add(new ClickedItem("v" + i, i % 2 == 0 ? "c0" : null, List.of("t" + i)));
    }
    return new UserSequence("u1", "p1", null, "ph1", list);
  }

  @Test
  void shouldMakeOneInstancePerClickWithEmptyHistoryFirst() {
    List<Instance> out = new ArrayList<>();
    Instances.addInstances(user(4), 20, out);

    assertThat(out).hasSize(4);
    assertThat(out.get(0).context().history()).isEmpty();
    assertThat(out.get(0).target().itemId()).isEqualTo("v0");
    assertThat(out.get(3).context().history())
        .extracting(Item::itemId)
        .containsExactly("v0", "v1", "v2");
    assertThat(out.get(3).context().city()).isNull();
    assertThat(out.get(1).context().history().get(0).category()).isEqualTo("c0");
  }

  @Test
  void shouldKeepOnlyTheLastWindowClicksOldestFirst() {
    List<Instance> out = new ArrayList<>();
    Instances.addInstances(user(6), 2, out);

    assertThat(out.get(5).context().history()).extracting(Item::itemId).containsExactly("v3", "v4");
    assertThat(Instances.currentContext(user(6), 2).history())
        .extracting(Item::itemId)
        .containsExactly("v4", "v5");
  }

  @Test
  void shouldBuildTheSameContextForInstancesAndScoring() {
    UserSequence u = user(5);
    List<Instance> out = new ArrayList<>();
    Instances.addInstances(u, 3, out);

    assertThat(out.get(4).context()).isEqualTo(Instances.contextBefore(u, 4, 3));
  }

  @Test
  void shouldKnowOnlyTheUserIdInOfflineMiningMode() {
    UserContext c = Instances.userIdOnly("u7");

    assertThat(c.userId()).isEqualTo("u7");
    assertThat(c.province()).isNull();
    assertThat(c.city()).isNull();
    assertThat(c.phone()).isNull();
    assertThat(c.history()).isEmpty();
  }
}
