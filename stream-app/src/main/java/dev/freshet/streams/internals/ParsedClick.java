package dev.freshet.streams.internals;

import dev.freshet.avro.ClickEvent;
import java.util.Objects;

/**
 * What {@link ClickParser} makes of one input record: a valid click, or a dead letter. Exactly one
 * of the two is non-null.
 */
public final class ParsedClick {
  private final ClickEvent click;
  private final DeadLetter deadLetter;
  private final boolean keyedByUser;

  private ParsedClick(ClickEvent click, DeadLetter deadLetter, boolean keyedByUser) {
    this.click = click;
    this.deadLetter = deadLetter;
    this.keyedByUser = keyedByUser;
  }

  static ParsedClick valid(ClickEvent click, boolean keyedByUser) {
    return new ParsedClick(Objects.requireNonNull(click, "click"), null, keyedByUser);
  }

  static ParsedClick rejected(DeadLetter deadLetter) {
    return new ParsedClick(null, Objects.requireNonNull(deadLetter, "deadLetter"), true);
  }

  public boolean isValid() {
    return click != null;
  }

  /** The click, or null for a dead letter. */
  public ClickEvent click() {
    return click;
  }

  /** The dead letter, or null for a valid click. */
  public DeadLetter deadLetter() {
    return deadLetter;
  }

  /**
   * Whether the producer's key already was the user id, so the record sits on the user's partition
   * and needs no repartitioning.
   */
  public boolean keyedByUser() {
    return keyedByUser;
  }
}
