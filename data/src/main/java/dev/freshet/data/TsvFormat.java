package dev.freshet.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parsing and formatting of one line of the reference TSV format.
 *
 * <pre>{@code
 * user \t province \t city \t video:category:tag1_tag2;video:category:tag1_tag2;... \t phone
 * }</pre>
 *
 * <p>{@code NULL} stands for an unknown province, city, phone or category, and for "no tags". An
 * empty click field is a user with no clicks. As extensions, a click may carry its event time as a
 * fourth colon-separated field ({@code video:category:tags:epochMillis}), and after it the tokens
 * of the search query that led to the click as a fifth field ({@code
 * video:category:tags:epochMillis:tok1_tok2}, tokens joined by {@code _}, {@code NULL} for none); a
 * fifth field needs the fourth. {@link #format(UserSequence, boolean)} writes the time only when
 * asked, and the search tokens only when it writes the time and the click has at least one token,
 * so by default the output is exactly the reference format and files without search tokens are
 * unchanged; {@link #parse(String)} accepts all three forms.
 */
public final class TsvFormat {

  /** The token for an unknown value. */
  public static final String NULL = Fields.NULL_TOKEN;

  private TsvFormat() {}

  /**
   * Parses one line (without its line terminator; a trailing {@code \r} is tolerated).
   *
   * @return the user sequence
   * @throws IllegalArgumentException with a human-readable reason if the line is malformed
   */
  public static UserSequence parse(String line) {
    Objects.requireNonNull(line, "line");
    String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    String[] fields = text.split("\t", -1);
    if (fields.length != 5) {
      throw new IllegalArgumentException("expected 5 tab-separated fields, found " + fields.length);
    }
    String userId = fields[0];
    if (userId.isEmpty() || NULL.equals(userId)) {
      throw new IllegalArgumentException("user id is missing");
    }
    List<ClickedItem> clicks = new ArrayList<>();
    if (!fields[3].isEmpty()) {
      String[] items = fields[3].split(";", -1);
      for (int i = 0; i < items.length; i++) {
        clicks.add(parseItem(items[i], i));
      }
    }
    return new UserSequence(
        userId, nullable(fields[1]), nullable(fields[2]), nullable(fields[4]), clicks);
  }

  private static ClickedItem parseItem(String item, int index) {
    String[] parts = item.split(":", -1);
    int click = index + 1;
    if (parts.length < 3 || parts.length > 5) {
      throw new IllegalArgumentException(
          "click "
              + click
              + " '"
              + item
              + "' must be video:category:tags, video:category:tags:epochMillis or"
              + " video:category:tags:epochMillis:searchTokens");
    }
    String videoId = parts[0];
    if (videoId.isEmpty() || NULL.equals(videoId)) {
      throw new IllegalArgumentException("click " + click + " has no video id");
    }
    List<String> tags = new ArrayList<>();
    if (!parts[2].isEmpty() && !NULL.equals(parts[2])) {
      for (String tag : parts[2].split("_", -1)) {
        if (tag.isEmpty() || NULL.equals(tag)) {
          throw new IllegalArgumentException(
              "click " + click + " has an empty tag in '" + parts[2] + "'");
        }
        tags.add(tag);
      }
    }
    long time = ClickedItem.NO_TIME;
    if (parts.length >= 4) {
      if (parts.length == 5 && (parts[3].isEmpty() || NULL.equals(parts[3]))) {
        throw new IllegalArgumentException(
            "click " + click + " has search tokens but no event time (the fourth field)");
      }
      try {
        time = Long.parseLong(parts[3]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "click " + click + " has a malformed event time '" + parts[3] + "'", e);
      }
      if (time == ClickedItem.NO_TIME) {
        throw new IllegalArgumentException("click " + click + " has an invalid event time");
      }
    }
    List<String> searchTokens = new ArrayList<>();
    if (parts.length == 5) {
      if (parts[4].isEmpty()) {
        throw new IllegalArgumentException(
            "click " + click + " has an empty search-token field (write NULL for none)");
      }
      if (!NULL.equals(parts[4])) {
        for (String token : parts[4].split("_", -1)) {
          if (token.isEmpty() || NULL.equals(token)) {
            throw new IllegalArgumentException(
                "click " + click + " has an empty search token in '" + parts[4] + "'");
          }
          searchTokens.add(token);
        }
      }
    }
    return new ClickedItem(videoId, nullable(parts[1]), tags, time, searchTokens);
  }

  private static String nullable(String value) {
    return value.isEmpty() || NULL.equals(value) ? null : value;
  }

  /**
   * Formats one line (without a line terminator).
   *
   * @param sequence the user
   * @param withEventTimes whether to append {@code :epochMillis} to clicks that carry a time, and
   *     then {@code :tok1_tok2} to those that also carry search tokens; false gives exactly the
   *     reference format (times and search tokens are dropped)
   */
  public static String format(UserSequence sequence, boolean withEventTimes) {
    Objects.requireNonNull(sequence, "sequence");
    StringBuilder out = new StringBuilder(32 + 24 * sequence.size());
    out.append(sequence.userId()).append('\t');
    out.append(orNull(sequence.province())).append('\t');
    out.append(orNull(sequence.city())).append('\t');
    List<ClickedItem> clicks = sequence.clicks();
    for (int i = 0; i < clicks.size(); i++) {
      if (i > 0) {
        out.append(';');
      }
      ClickedItem click = clicks.get(i);
      out.append(click.videoId()).append(':').append(orNull(click.category())).append(':');
      if (click.tags().isEmpty()) {
        out.append(NULL);
      } else {
        out.append(String.join("_", click.tags()));
      }
      if (withEventTimes && click.hasEventTime()) {
        out.append(':').append(click.eventTimeMillis());
        if (!click.searchTokens().isEmpty()) {
          out.append(':').append(String.join("_", click.searchTokens()));
        }
      }
    }
    out.append('\t').append(orNull(sequence.phone()));
    return out.toString();
  }

  private static String orNull(String value) {
    return value == null ? NULL : value;
  }
}
