package dev.freshet.paramlog;

import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.model.Instance;
import dev.freshet.model.Item;
import dev.freshet.model.UserContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between the Avro records on the topics and the model's own input types. The stream app
 * (user contexts for scoring) and the trainer (instances) use the same conversion, so the user
 * tower sees the same features online as in training.
 */
public final class InstanceConverter {

  private InstanceConverter() {}

  /** The model instance for a training-instance record. */
  public static Instance toInstance(TrainingInstance t) {
    return new Instance(
        new UserContext(
            t.getUserId(), t.getProvince(), t.getCity(), t.getPhone(), items(t.getHistory())),
        item(t.getTarget()));
  }

  /** A user context from profile fields and a history, oldest first. */
  public static UserContext toContext(
      String userId, String province, String city, String phone, List<ClickedItem> history) {
    return new UserContext(userId, province, city, phone, items(history));
  }

  /** The model item for a clicked item. */
  public static Item item(ClickedItem c) {
    return new Item(c.getVideoId(), c.getCategory(), c.getTags(), c.getSearchTokens());
  }

  private static List<Item> items(List<ClickedItem> clicks) {
    List<Item> out = new ArrayList<>(clicks.size());
    for (ClickedItem c : clicks) {
      out.add(item(c));
    }
    return out;
  }
}
