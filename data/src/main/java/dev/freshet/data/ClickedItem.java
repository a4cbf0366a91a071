package dev.freshet.data;

import java.util.List;

/**
 * One click inside a {@link UserSequence}: the clicked video, its category and its tags, the time
 * of the click where it is known, and the tokens of the search query that led to the click, if any
 * (the YouTube paper's "search history" feature).
 *
 * <p>Contract: {@code videoId} is non-empty; {@code category} is {@code null} when unknown; {@code
 * tags} and {@code searchTokens} may be empty (no tags, no search) and are copied into immutable
 * lists. No value may contain the format's separators ({@code \t ; :}, and {@code _} inside a tag
 * or search token) or be the literal {@code NULL}; violations throw {@link
 * IllegalArgumentException}. {@code eventTimeMillis} is epoch milliseconds or {@link #NO_TIME} when
 * the source carries no time (the reference TSV has none).
 *
 * @param videoId the clicked item's id
 * @param category the item's category, or null if unknown
 * @param tags the item's tags, possibly empty
 * @param eventTimeMillis click time in epoch milliseconds, or {@link #NO_TIME}
 * @param searchTokens the tokens of the search query that led to the click, possibly empty
 */
public record ClickedItem(
    String videoId,
    String category,
    List<String> tags,
    long eventTimeMillis,
    List<String> searchTokens) {

  /** Marks a click whose time is unknown. */
  public static final long NO_TIME = Long.MIN_VALUE;

  /** Validates and copies the fields; see the class contract. */
  public ClickedItem {
    Fields.required(videoId, "videoId");
    Fields.optional(category, "category");
    tags = Fields.tags(tags);
    searchTokens = Fields.searchTokens(searchTokens);
  }

  /** A click that did not follow a search. */
  public ClickedItem(String videoId, String category, List<String> tags, long eventTimeMillis) {
    this(videoId, category, tags, eventTimeMillis, List.of());
  }

  /** A click without a known time that did not follow a search. */
  public ClickedItem(String videoId, String category, List<String> tags) {
    this(videoId, category, tags, NO_TIME, List.of());
  }

  /** Whether the click carries a time. */
  public boolean hasEventTime() {
    return eventTimeMillis != NO_TIME;
  }

  /** The same click (search tokens included) with the given time. */
  public ClickedItem withEventTime(long eventTimeMillis) {
    return new ClickedItem(videoId, category, tags, eventTimeMillis, searchTokens);
  }

  /** The same click with the given search tokens (possibly empty). */
  public ClickedItem withSearchTokens(List<String> searchTokens) {
    return new ClickedItem(videoId, category, tags, eventTimeMillis, searchTokens);
  }
}
