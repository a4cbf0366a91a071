package dev.freshet.trainer;

import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.TrainingInstance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Deterministic training instances: users walk through item chains of a small catalogue. */
final class TestInstances {

  private TestInstances() {}

  /** {@code n} instances, same seed same list; event times increase by one second. */
  static List<TrainingInstance> generate(int n, long seed) {
    Random rnd = new Random(seed);
    Map<String, List<ClickedItem>> histories = new HashMap<>();
    List<TrainingInstance> out = new ArrayList<>(n);
    long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    for (int i = 0; i < n; i++) {
      String user = "u" + rnd.nextInt(20);
      List<ClickedItem> h = histories.computeIfAbsent(user, u -> new ArrayList<>());
      int next =
          h.isEmpty()
              ? rnd.nextInt(30)
              : (Integer.parseInt(h.get(h.size() - 1).getVideoId().substring(1))
                      + 1
                      + rnd.nextInt(2))
                  % 30;
      ClickedItem item =
          ClickedItem.newBuilder()
              .setVideoId("v" + next)
              .setCategory("c" + next % 5)
              .setTags(List.of("t" + next % 7, "t" + next % 3))
              .setEventTime(Instant.ofEpochMilli(t0 + i * 1000L))
              .build();
      out.add(
          TrainingInstance.newBuilder()
              .setEventId("e" + i)
              .setUserId(user)
              .setProvince("p" + user.hashCode() % 3)
              .setCity(null)
              .setPhone("phone")
              .setHistory(List.copyOf(h.subList(Math.max(0, h.size() - 5), h.size())))
              .setTarget(item)
              .setEventTime(item.getEventTime())
              .build());
      h.add(item);
    }
    return out;
  }

  /** Small model settings that train fast. */
  static Map<String, String> smallModel() {
    Map<String, String> m = new HashMap<>();
    m.put("model.userDim", "4");
    m.put("model.provinceDim", "2");
    m.put("model.cityDim", "2");
    m.put("model.phoneDim", "2");
    m.put("model.itemDim", "5");
    m.put("model.categoryDim", "2");
    m.put("model.tagDim", "4");
    m.put("model.lstmHidden", "6");
    m.put("model.hiddenDim", "8");
    m.put("model.userVectorDim", "5");
    m.put("model.maxWindow", "5");
    m.put("model.featAppearLimit", "1");
    m.put("model.numNegatives", "3");
    m.put("model.seed", "11");
    return m;
  }
}
