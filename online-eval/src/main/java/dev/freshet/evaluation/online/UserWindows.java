package dev.freshet.evaluation.online;

import dev.freshet.data.ClickEvent;
import dev.freshet.model.Item;
import dev.freshet.model.UserContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Each user's last {@code size} clicks and profile, kept the way the stream app's history state
 * keeps them for clicks in time order (the profile fields follow the newest click that carries
 * them). The lists of every recommender leave out the items in this window, as the stream app does
 * ({@code recommendations.exclude.seen}), so seen items are handled the same way for all.
 */
public final class UserWindows {

  private static final class State {
    final ArrayDeque<ClickEvent> clicks = new ArrayDeque<>();
    String province;
    String city;
    String phone;
  }

  private final int size;
  private final Map<String, State> users = new HashMap<>();

  /**
   * @param size clicks kept per user, {@code >= 1} (the stream app's {@code history.size})
   */
  public UserWindows(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1, was " + size);
    }
    this.size = size;
  }

  /** Whether the user has clicked before. */
  public boolean known(String userId) {
    return users.containsKey(userId);
  }

  /** Adds a click to its user's window. */
  public void add(ClickEvent c) {
    Objects.requireNonNull(c, "c");
    State s = users.computeIfAbsent(c.userId(), u -> new State());
    s.clicks.addLast(c);
    while (s.clicks.size() > size) {
      s.clicks.removeFirst();
    }
    s.province = c.province() != null ? c.province() : s.province;
    s.city = c.city() != null ? c.city() : s.city;
    s.phone = c.phone() != null ? c.phone() : s.phone;
  }

  /** The items of the user's window, oldest first (empty for an unknown user). */
  public List<String> items(String userId) {
    State s = users.get(userId);
    List<String> out = new ArrayList<>(s == null ? 0 : s.clicks.size());
    if (s != null) {
      for (ClickEvent c : s.clicks) {
        out.add(c.videoId());
      }
    }
    return out;
  }

  /** The items a list for this user leaves out: those in the user's window. */
  public Set<String> seen(String userId) {
    return new LinkedHashSet<>(items(userId));
  }

  /** The user's newest click, or null. */
  public String last(String userId) {
    State s = users.get(userId);
    return s == null || s.clicks.isEmpty() ? null : s.clicks.peekLast().videoId();
  }

  /** The user tower's input for this user: profile and window, as the stream app builds it. */
  public UserContext context(String userId) {
    State s = users.get(userId);
    if (s == null) {
      throw new IllegalArgumentException("unknown user " + userId);
    }
    List<Item> items = new ArrayList<>(s.clicks.size());
    for (ClickEvent c : s.clicks) {
      items.add(new Item(c.videoId(), c.category(), c.tags(), c.searchTokens()));
    }
    return new UserContext(userId, s.province, s.city, s.phone, items);
  }
}
