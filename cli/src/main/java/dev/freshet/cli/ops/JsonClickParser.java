package dev.freshet.cli.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.avro.ClickEvent;
import dev.freshet.data.SafeIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Parses one JSON object per line into a {@link ClickEvent}, the JSON-lines input of {@code freshet
 * produce}. The fields are those of the Avro {@code ClickEvent}:
 *
 * <pre>
 * {"userId": "u42", "videoId": "m1", "eventTime": "2026-03-01T12:00:00Z",
 *  "eventId": "e-1", "province": "p1", "city": "c3", "phone": "android",
 *  "category": "drama", "tags": ["t1", "t2"], "watchTimeMs": 93000, "searchTokens": []}
 * </pre>
 *
 * <p>{@code userId}, {@code videoId} (non-empty strings) and {@code eventTime} (epoch milliseconds
 * as a number, or an ISO-8601 instant string) are required; the rest are optional and may be {@code
 * null}. Without an {@code eventId} the id is derived from the content ({@link #contentId}), so
 * producing the same file twice yields the same ids and the stream app's de-duplication drops the
 * repeats. An unknown field is an error (it is usually a typo), and so is a string carrying a code
 * point that {@link SafeIds} rejects (control characters, bidi controls, ...): the stream app would
 * dead-letter the click, so the line is reported here instead, naming the field and code point.
 */
public final class JsonClickParser {

  static final Set<String> FIELDS =
      Set.of(
          "eventId",
          "userId",
          "videoId",
          "eventTime",
          "province",
          "city",
          "phone",
          "category",
          "tags",
          "watchTimeMs",
          "searchTokens");

  private final ObjectMapper json = new ObjectMapper();

  /**
   * Parses one line.
   *
   * @throws IllegalArgumentException saying what is wrong with the line
   */
  public ClickEvent parse(String line) {
    JsonNode node;
    try {
      node = json.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String name = field.getKey();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '" + name + "' (fields: " + String.join(", ", sorted(FIELDS)) + ")");
      }
    }
    String userId = required(node, "userId");
    String videoId = required(node, "videoId");
    long eventTime = eventTime(node.get("eventTime"));
    String eventId = optional(node, "eventId");
    if (eventId != null && eventId.isEmpty()) {
      throw new IllegalArgumentException("eventId must not be empty (omit it to derive one)");
    }
    JsonNode watch = node.get("watchTimeMs");
    Long watchTimeMs = null;
    if (watch != null && !watch.isNull()) {
      if (!watch.canConvertToLong() || !watch.isIntegralNumber()) {
        throw new IllegalArgumentException("watchTimeMs must be an integer, was " + watch);
      }
      watchTimeMs = watch.asLong();
    }
    return ClickEvent.newBuilder()
        .setEventId(eventId != null ? eventId : contentId(userId, videoId, eventTime))
        .setUserId(userId)
        .setVideoId(videoId)
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .setProvince(optional(node, "province"))
        .setCity(optional(node, "city"))
        .setPhone(optional(node, "phone"))
        .setCategory(optional(node, "category"))
        .setTags(strings(node, "tags"))
        .setWatchTimeMs(watchTimeMs)
        .setSearchTokens(strings(node, "searchTokens"))
        .build();
  }

  /** The id of a click without one: a name-based UUID of user, item and event time. */
  public static String contentId(String userId, String videoId, long eventTimeMillis) {
    String name = userId + '\u0000' + videoId + '\u0000' + eventTimeMillis;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static long eventTime(JsonNode v) {
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("missing eventTime");
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    if (v.isTextual()) {
      try {
        return Instant.parse(v.asText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "eventTime '" + v.asText() + "' is not an ISO-8601 instant (2026-03-01T12:00:00Z)");
      }
    }
    throw new IllegalArgumentException(
        "eventTime must be epoch milliseconds or an ISO-8601 string, was " + v);
  }

  private static String required(JsonNode node, String field) {
    String v = optional(node, field);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v;
  }

  private static String optional(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string, was " + v);
    }
    return SafeIds.require(field, v.asText());
  }

  private static List<String> strings(JsonNode node, String field) {
    JsonNode v = node.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(field + " must be an array of strings, was " + v);
    }
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException(field + " must hold strings only, found " + e);
      }
      out.add(SafeIds.require(field + "[" + out.size() + "]", e.asText()));
    }
    return out;
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
