package dev.freshet.streams.internals;

/** Why a click went to the dead-letter topic (the {@code freshet.dlq.reason} header). */
public enum DeadLetterReason {
  /** The bytes are not a ClickEvent in the Confluent wire format (bad magic, unknown id, ...). */
  UNDESERIALIZABLE,
  /** A required field is missing or empty. */
  MISSING_FIELD,
  /** A field has an absurd value: too long, too many tags, an event time far in the future. */
  INVALID_VALUE,
  /** Older than the user's newest click by more than the grace period. */
  TOO_LATE
}
