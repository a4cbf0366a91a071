package dev.freshet.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A learnable synthetic click stream: {@code items} items in {@code categories} categories; user
 * {@code u} clicks only items of category {@code u % categories}.
 */
final class TestData {
  private TestData() {}

  static ModelConfig.Builder small() {
    return ModelConfig.reference()
        .userDim(6)
        .provinceDim(2)
        .cityDim(3)
        .phoneDim(2)
        .itemDim(8)
        .categoryDim(3)
        .tagDim(4)
        .lstmHidden(8)
        .hiddenDim(16)
        .userVectorDim(7)
        .maxWindow(5)
        .numNegatives(5)
        .featAppearLimit(1)
        .sparseLearningRate(0.1)
        .denseLearningRate(0.01)
        .seed(123);
  }

  static Item item(int i, int categories) {
    int cat = i % categories;
    return new Item("i" + i, "c" + cat, List.of("t" + cat, "t" + (i % 7)));
  }

  static UserContext context(int user, List<Item> history) {
    return new UserContext(
        "u" + user, "p" + (user % 3), "city" + (user % 5), "ph" + (user % 2), history);
  }

  /** {@code n} instances, each a user's recent clicks → a fresh click from the user's category. */
  static List<Instance> batch(Random r, int n, int users, int items, int categories) {
    List<Instance> out = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      int u = r.nextInt(users);
      int cat = u % categories;
      int len = r.nextInt(5);
      List<Item> h = new ArrayList<>();
      for (int t = 0; t < len; t++) {
        h.add(item(randomItemOf(r, cat, items, categories), categories));
      }
      out.add(
          new Instance(context(u, h), item(randomItemOf(r, cat, items, categories), categories)));
    }
    return out;
  }

  /**
   * The instances with search tokens on their clicks: a click on an item of category {@code c}
   * followed a search for {@code s<c>} (and every third one also for {@code s<c+1>}).
   */
  static List<Instance> withSearches(List<Instance> instances) {
    List<Instance> out = new ArrayList<>(instances.size());
    for (Instance in : instances) {
      List<Item> h = new ArrayList<>();
      for (Item it : in.context().history()) {
        h.add(searched(it));
      }
      UserContext c = in.context();
      out.add(
          new Instance(
              new UserContext(c.userId(), c.province(), c.city(), c.phone(), h),
              searched(in.target())));
    }
    return out;
  }

  private static Item searched(Item it) {
    int cat = Integer.parseInt(it.category().substring(1));
    int id = Integer.parseInt(it.itemId().substring(1));
    List<String> tokens = id % 3 == 0 ? List.of("s" + cat, "s" + (cat + 1)) : List.of("s" + cat);
    return new Item(it.itemId(), it.category(), it.tags(), tokens);
  }

  static int randomItemOf(Random r, int cat, int items, int categories) {
    return cat + categories * r.nextInt(items / categories);
  }
}
