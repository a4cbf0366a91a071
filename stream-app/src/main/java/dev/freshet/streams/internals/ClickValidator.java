package dev.freshet.streams.internals;

import dev.freshet.avro.ClickEvent;
import dev.freshet.data.SafeIds;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a deserialized click is usable. Pure: the same click and record timestamp always
 * give the same verdict, and the wall clock is never read (a click is "in the future" relative to
 * its own record timestamp, which the producer or the broker set).
 *
 * <p>Every string the click carries as an identifier or feature value (event, user and item ids,
 * profile values, category, tags, search tokens) must be free of the code points {@link SafeIds}
 * rejects; such a click is an {@link DeadLetterReason#INVALID_VALUE} dead letter whose detail names
 * the field, the code point and its index.
 */
public final class ClickValidator {

  private final int maxIdLength;
  private final int maxTags;
  private final long maxFutureMs;

  public ClickValidator(int maxIdLength, int maxTags, long maxFutureMs) {
    if (maxIdLength < 1 || maxTags < 0 || maxFutureMs < 0) {
      throw new IllegalArgumentException(
          "limits must be positive: maxIdLength="
              + maxIdLength
              + ", maxTags="
              + maxTags
              + ", maxFutureMs="
              + maxFutureMs);
    }
    this.maxIdLength = maxIdLength;
    this.maxTags = maxTags;
    this.maxFutureMs = maxFutureMs;
  }

  /** A rejection: the reason and a sentence naming the field. */
  public record Rejection(DeadLetterReason reason, String detail) {}

  /** Empty when the click is valid; otherwise the first problem found. */
  public Optional<Rejection> validate(ClickEvent click, long recordTimestamp) {
    Objects.requireNonNull(click, "click");
    Optional<Rejection> r = required("eventId", click.getEventId());
    if (r.isEmpty()) {
      r = required("userId", click.getUserId());
    }
    if (r.isEmpty()) {
      r = required("videoId", click.getVideoId());
    }
    if (r.isEmpty()) {
      r = optionalValue("province", click.getProvince());
    }
    if (r.isEmpty()) {
      r = optionalValue("city", click.getCity());
    }
    if (r.isEmpty()) {
      r = optionalValue("phone", click.getPhone());
    }
    if (r.isEmpty()) {
      r = optionalValue("category", click.getCategory());
    }
    if (r.isPresent()) {
      return r;
    }
    if (click.getTags().size() > maxTags) {
      return invalid(
          "tags has " + click.getTags().size() + " entries, more than max.tags=" + maxTags);
    }
    for (String tag : click.getTags()) {
      if (tag == null || tag.isBlank() || tag.length() > maxIdLength) {
        return invalid("tags contains an empty or over-long (> " + maxIdLength + " chars) tag");
      }
    }
    r = unsafe("tags", click.getTags());
    if (r.isEmpty()) {
      r = unsafe("searchTokens", click.getSearchTokens());
    }
    if (r.isPresent()) {
      return r;
    }
    long eventTime = click.getEventTime().toEpochMilli();
    if (eventTime <= 0) {
      return invalid("eventTime " + eventTime + " is not a positive epoch-millis timestamp");
    }
    if (recordTimestamp >= 0 && eventTime - recordTimestamp > maxFutureMs) {
      return invalid(
          "eventTime "
              + click.getEventTime()
              + " is "
              + (eventTime - recordTimestamp)
              + " ms after the record timestamp (max.future.ms="
              + maxFutureMs
              + ")");
    }
    return Optional.empty();
  }

  private Optional<Rejection> required(String field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(
          new Rejection(DeadLetterReason.MISSING_FIELD, field + " is missing or empty"));
    }
    return tooLong(field, value);
  }

  private Optional<Rejection> optionalValue(String field, String value) {
    return value == null ? Optional.empty() : tooLong(field, value);
  }

  private Optional<Rejection> tooLong(String field, String value) {
    if (value.length() > maxIdLength) {
      return invalid(
          field + " is " + value.length() + " chars, longer than max.id.length=" + maxIdLength);
    }
    return SafeIds.problem(field, value).map(ClickValidator::rejection);
  }

  private static Optional<Rejection> unsafe(String field, List<String> values) {
    return SafeIds.problem(field, values).map(ClickValidator::rejection);
  }

  private static Rejection rejection(String detail) {
    return new Rejection(DeadLetterReason.INVALID_VALUE, detail);
  }

  private static Optional<Rejection> invalid(String detail) {
    return Optional.of(rejection(detail));
  }
}
