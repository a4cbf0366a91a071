package dev.freshet.evaluation.online;

import dev.freshet.data.ClickEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The online baselines, test-then-train: each click is first judged against the list the baseline
 * produced for the user right after the user's previous click, then learned, and the user's next
 * list is produced. Lists leave out the items of the user's window ({@link UserWindows}). Not
 * thread-safe.
 */
public final class BaselineJudge {

  /**
   * Where the click's item stood in each baseline's list for its user (0-based, -1 if absent).
   *
   * @param popularity rank in the online-popularity list
   * @param coOccurrence rank in the online co-occurrence list
   */
  public record Ranks(int popularity, int coOccurrence) {}

  private final int k;
  private final UserWindows windows;
  private final OnlinePopularity popularity = new OnlinePopularity();
  private final OnlineCoOccurrence coOccurrence;
  private final Map<String, List<String>> lastPopularity = new HashMap<>();
  private final Map<String, List<String>> lastCoOccurrence = new HashMap<>();

  /**
   * @param k list length
   * @param historySize the users' window
   * @param coOccurrenceWindow previous clicks that co-occur with a click
   */
  public BaselineJudge(int k, int historySize, int coOccurrenceWindow) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    this.k = k;
    this.windows = new UserWindows(historySize);
    this.coOccurrence = new OnlineCoOccurrence(coOccurrenceWindow, popularity);
  }

  /** The users' windows as of the clicks observed so far. */
  public UserWindows windows() {
    return windows;
  }

  /**
   * Judges {@code c} against the user's last lists, then learns it.
   *
   * @return the ranks, or null for a user's first click (not judged)
   */
  public Ranks observe(ClickEvent c) {
    Objects.requireNonNull(c, "c");
    String user = c.userId();
    String item = c.videoId();
    Ranks ranks =
        windows.known(user)
            ? new Ranks(
                lastPopularity.get(user).indexOf(item), lastCoOccurrence.get(user).indexOf(item))
            : null;
    coOccurrence.update(windows.items(user), item);
    popularity.update(item);
    windows.add(c);
    Set<String> seen = windows.seen(user);
    lastPopularity.put(user, popularity.top(k, seen));
    lastCoOccurrence.put(user, coOccurrence.recommend(item, k, seen));
    return ranks;
  }
}
