package dev.freshet.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Conversions between the per-user view ({@link UserSequence}) and the flat click stream. */
public final class ClickStreams {

  /** Time order of the flat stream: event time, then user id; stable for equal keys. */
  public static final Comparator<ClickEvent> TIME_ORDER =
      Comparator.comparingLong(ClickEvent::eventTimeMillis).thenComparing(ClickEvent::userId);

  private ClickStreams() {}

  /**
   * Flattens user sequences into one stream sorted by {@link #TIME_ORDER}; a user's own clicks keep
   * their sequence order when their times are equal. Each event id is {@code userId#position}
   * (0-based position in the user's sequence), stable for the same input. Search tokens are carried
   * over.
   *
   * @throws IllegalArgumentException if a click carries no event time
   */
  public static List<ClickEvent> toClickStream(Iterable<UserSequence> sequences) {
    Objects.requireNonNull(sequences, "sequences");
    List<ClickEvent> events = new ArrayList<>();
    for (UserSequence user : sequences) {
      List<ClickedItem> clicks = user.clicks();
      for (int i = 0; i < clicks.size(); i++) {
        ClickedItem click = clicks.get(i);
        if (!click.hasEventTime()) {
          throw new IllegalArgumentException(
              "click " + i + " of user " + user.userId() + " has no event time");
        }
        events.add(
            new ClickEvent(
                user.userId(),
                user.province(),
                user.city(),
                user.phone(),
                click.videoId(),
                click.category(),
                click.tags(),
                click.eventTimeMillis(),
                user.userId() + "#" + i,
                click.searchTokens()));
      }
    }
    events.sort(TIME_ORDER);
    return events;
  }

  /**
   * Groups a click stream by user, keeping each user's clicks in stream order. Users appear in the
   * order of their first click; a user's province, city and phone are those of the user's last
   * click. Each click keeps its event time and search tokens ({@link ClickEvent#toClickedItem()}).
   */
  public static List<UserSequence> toSequences(Iterator<ClickEvent> clicks) {
    Objects.requireNonNull(clicks, "clicks");
    Map<String, List<ClickEvent>> byUser = new LinkedHashMap<>();
    while (clicks.hasNext()) {
      ClickEvent click = clicks.next();
      byUser.computeIfAbsent(click.userId(), k -> new ArrayList<>()).add(click);
    }
    List<UserSequence> sequences = new ArrayList<>(byUser.size());
    for (List<ClickEvent> events : byUser.values()) {
      List<ClickedItem> items = new ArrayList<>(events.size());
      for (ClickEvent event : events) {
        items.add(event.toClickedItem());
      }
      ClickEvent last = events.get(events.size() - 1);
      sequences.add(
          new UserSequence(last.userId(), last.province(), last.city(), last.phone(), items));
    }
    return sequences;
  }

  /** Convenience for {@link #toSequences(Iterator)} over a collection. */
  public static List<UserSequence> toSequences(Iterable<ClickEvent> clicks) {
    Objects.requireNonNull(clicks, "clicks");
    return toSequences(clicks.iterator());
  }
}
