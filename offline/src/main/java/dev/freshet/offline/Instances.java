package dev.freshet.offline;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import dev.freshet.model.Instance;
import dev.freshet.model.Item;
import dev.freshet.model.UserContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns reference TSV records into model inputs, the one place where the offline commands and the
 * evaluation decide what the user tower sees.
 *
 * <p>A line {@code user, province, city, c_0;...;c_{n-1}, phone} yields one training instance per
 * click {@code c_i}: the profile, the previous {@code min(i, window)} clicks (oldest first) as
 * history, and {@code c_i} as target. The first click has an empty history (the reference starts at
 * the second click with an {@code <unk>} history; Freshet trains the first click too because the
 * online path sees it). {@code null} (the TSV's {@code NULL}) stays {@code null} and maps to {@code
 * <unk>} inside the model.
 */
public final class Instances {

  private Instances() {}

  /** The model's view of a clicked item. */
  public static Item item(ClickedItem click) {
    Objects.requireNonNull(click, "click");
    return new Item(click.videoId(), click.category(), click.tags(), click.searchTokens());
  }

  /**
   * The user's context just before click {@code end}: the profile and clicks {@code [max(0,
   * end-window), end)}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= end <= size} and {@code window >= 1}
   */
  public static UserContext contextBefore(UserSequence user, int end, int window) {
    Objects.requireNonNull(user, "user");
    if (end < 0 || end > user.size()) {
      throw new IllegalArgumentException("end " + end + " outside [0, " + user.size() + "]");
    }
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, was " + window);
    }
    List<ClickedItem> clicks = user.clicks();
    List<Item> history = new ArrayList<>(Math.min(end, window));
    for (int i = Math.max(0, end - window); i < end; i++) {
      history.add(item(clicks.get(i)));
    }
    return new UserContext(user.userId(), user.province(), user.city(), user.phone(), history);
  }

  /** The context after all of the user's clicks (what {@code infer} and the evaluation score). */
  public static UserContext currentContext(UserSequence user, int window) {
    return contextBefore(user, user.size(), window);
  }

  /**
   * The reference's offline-mining context: only the user id is known; profile unknown, history
   * empty.
   */
  public static UserContext userIdOnly(String userId) {
    Objects.requireNonNull(userId, "userId");
    return new UserContext(userId, null, null, null, List.of());
  }

  /** Appends one instance per click of {@code user} to {@code out} (see the class comment). */
  public static void addInstances(UserSequence user, int window, List<Instance> out) {
    Objects.requireNonNull(out, "out");
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, was " + window);
    }
    List<ClickedItem> clicks = user.clicks();
    List<Item> items = new ArrayList<>(clicks.size());
    for (ClickedItem click : clicks) {
      items.add(item(click));
    }
    for (int i = 0; i < items.size(); i++) {
      UserContext context =
          new UserContext(
              user.userId(),
              user.province(),
              user.city(),
              user.phone(),
              items.subList(Math.max(0, i - window), i));
      out.add(new Instance(context, items.get(i)));
    }
  }

  /** Every instance of every user, in file order. */
  public static List<Instance> instancesOf(List<UserSequence> users, int window) {
    Objects.requireNonNull(users, "users");
    List<Instance> out = new ArrayList<>();
    for (UserSequence user : users) {
      addInstances(user, window, out);
    }
    return out;
  }
}
