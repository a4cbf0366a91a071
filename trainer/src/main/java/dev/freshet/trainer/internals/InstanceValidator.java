package dev.freshet.trainer.internals;

import dev.freshet.avro.ClickedItem;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.data.SafeIds;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a deserialized training instance carries only safe identifiers, with the same
 * rules ({@link SafeIds}) as the stream app's click validation: the stream app never emits such an
 * instance, but the topic is writable by other producers (replays, backfills), and an instance is
 * never trained on if its user, item, category or tag ids would become unsafe embedding keys.
 */
public final class InstanceValidator {

  /** The dead-letter reason of an instance this validator rejects. */
  public static final String INVALID_VALUE = "INVALID_VALUE";

  private InstanceValidator() {}

  /** Empty when every id of {@code t} is safe; otherwise the first problem, naming the field. */
  public static Optional<String> problem(TrainingInstance t) {
    Objects.requireNonNull(t, "t");
    Optional<String> p = SafeIds.problem("eventId", t.getEventId());
    p = p.or(() -> SafeIds.problem("userId", t.getUserId()));
    p = p.or(() -> SafeIds.problem("province", t.getProvince()));
    p = p.or(() -> SafeIds.problem("city", t.getCity()));
    p = p.or(() -> SafeIds.problem("phone", t.getPhone()));
    p = p.or(() -> item("target", t.getTarget()));
    List<ClickedItem> history = t.getHistory();
    for (int i = 0; i < history.size() && p.isEmpty(); i++) {
      p = item("history[" + i + "]", history.get(i));
    }
    return p;
  }

  private static Optional<String> item(String field, ClickedItem item) {
    if (item == null) {
      return Optional.empty();
    }
    return SafeIds.problem(field + ".videoId", item.getVideoId())
        .or(() -> SafeIds.problem(field + ".category", item.getCategory()))
        .or(() -> SafeIds.problem(field + ".tags", item.getTags()));
  }
}
