package dev.freshet.data;

import java.util.List;
import java.util.Objects;

/**
 * One click as a flat event, the unit that producers write to the {@code clicks} topic: the user's
 * profile at the time of the click, the clicked item with its metadata, the event time and a stable
 * id, and the tokens of the search query that led to the click, if any.
 *
 * <p>Contract: as {@link UserSequence} and {@link ClickedItem} for the values; {@code
 * eventTimeMillis} is epoch milliseconds and never {@link ClickedItem#NO_TIME}; {@code eventId} is
 * non-empty and identifies the click within its source (same source and seed → same id), so that
 * replays can be de-duplicated; {@code searchTokens} may be empty (the click did not follow a
 * search) and is validated and copied like {@code tags}.
 *
 * @param userId the user's id
 * @param province the user's province, or null
 * @param city the user's city, or null
 * @param phone the user's phone model, or null
 * @param videoId the clicked item
 * @param category the item's category, or null
 * @param tags the item's tags, possibly empty
 * @param eventTimeMillis click time, epoch milliseconds
 * @param eventId a stable id of the click
 * @param searchTokens the tokens of the search query that led to the click, possibly empty
 */
public record ClickEvent(
    String userId,
    String province,
    String city,
    String phone,
    String videoId,
    String category,
    List<String> tags,
    long eventTimeMillis,
    String eventId,
    List<String> searchTokens) {

  /** Validates and copies the fields; see the class contract. */
  public ClickEvent {
    Fields.required(userId, "userId");
    Fields.optional(province, "province");
    Fields.optional(city, "city");
    Fields.optional(phone, "phone");
    Fields.required(videoId, "videoId");
    Fields.optional(category, "category");
    tags = Fields.tags(tags);
    if (eventTimeMillis == ClickedItem.NO_TIME) {
      throw new IllegalArgumentException("a click event needs an event time");
    }
    Objects.requireNonNull(eventId, "eventId");
    if (eventId.isEmpty()) {
      throw new IllegalArgumentException("eventId must not be empty");
    }
    searchTokens = Fields.searchTokens(searchTokens);
  }

  /** A click event that did not follow a search (no search tokens). */
  public ClickEvent(
      String userId,
      String province,
      String city,
      String phone,
      String videoId,
      String category,
      List<String> tags,
      long eventTimeMillis,
      String eventId) {
    this(
        userId,
        province,
        city,
        phone,
        videoId,
        category,
        tags,
        eventTimeMillis,
        eventId,
        List.of());
  }

  /** The click as an entry of a {@link UserSequence}, with its event time and search tokens. */
  public ClickedItem toClickedItem() {
    return new ClickedItem(videoId, category, tags, eventTimeMillis, searchTokens);
  }
}
