package dev.freshet.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything the user tower reads for one user at one moment: profile features and the window of
 * clicked items, oldest first. Null profile values map to {@code <unk>}. Histories longer than
 * {@link ModelConfig#maxWindow()} are cut to their most recent clicks by the model; an empty
 * history (a user's first click) is valid.
 *
 * @param userId user id, may be null
 * @param province province, may be null
 * @param city city, may be null
 * @param phone phone model, may be null
 * @param history clicked items, oldest first, no null elements; copied
 * @param exampleAge the "example age" feature (Covington 2016, 3.3); read only when the config
 *     enables it; serve with 0
 */
public record UserContext(
    String userId,
    String province,
    String city,
    String phone,
    List<Item> history,
    float exampleAge) {

  public UserContext {
    history = List.copyOf(Objects.requireNonNull(history, "history"));
    if (!Float.isFinite(exampleAge)) {
      throw new IllegalArgumentException("exampleAge must be finite but was " + exampleAge);
    }
  }

  /** A context without the example-age feature. */
  public UserContext(
      String userId, String province, String city, String phone, List<Item> history) {
    this(userId, province, city, phone, history, 0f);
  }
}
