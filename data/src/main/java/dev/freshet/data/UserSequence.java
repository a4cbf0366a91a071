package dev.freshet.data;

import java.util.List;
import java.util.Objects;

/**
 * One line of the reference TSV: a user's profile and the user's clicks in click order (oldest
 * first).
 *
 * <p>Contract: {@code userId} is non-empty; {@code province}, {@code city} and {@code phone} are
 * {@code null} when unknown; {@code clicks} may be empty (a user with no history) and is copied
 * into an immutable list. Values must not contain the format's separators or be the literal {@code
 * NULL} ({@link IllegalArgumentException} otherwise). The order of {@code clicks} is the click
 * order; event times, where present, are not re-checked here.
 *
 * @param userId the user's id
 * @param province the user's province, or null if unknown
 * @param city the user's city, or null if unknown
 * @param phone the user's phone model, or null if unknown
 * @param clicks the user's clicks, oldest first
 */
public record UserSequence(
    String userId, String province, String city, String phone, List<ClickedItem> clicks) {

  /** Validates and copies the fields; see the class contract. */
  public UserSequence {
    Fields.required(userId, "userId");
    Fields.optional(province, "province");
    Fields.optional(city, "city");
    Fields.optional(phone, "phone");
    Objects.requireNonNull(clicks, "clicks");
    clicks = List.copyOf(clicks);
  }

  /** Number of clicks. */
  public int size() {
    return clicks.size();
  }

  /**
   * The same user with only the first {@code n} clicks: the history "so far" just before click
   * {@code n}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= n <= size()}
   */
  public UserSequence prefix(int n) {
    if (n < 0 || n > clicks.size()) {
      throw new IllegalArgumentException("prefix length " + n + " outside [0, " + size() + "]");
    }
    if (n == clicks.size()) {
      return this;
    }
    return new UserSequence(userId, province, city, phone, clicks.subList(0, n));
  }

  /** The most recent click, or null when the history is empty. */
  public ClickedItem lastClick() {
    return clicks.isEmpty() ? null : clicks.get(clicks.size() - 1);
  }
}
