package dev.freshet.streams.internals;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.TrainingInstance;
import dev.freshet.avro.UserHistory;

/**
 * What {@link HistoryUpdater} made of one click: either the training instance and the user's
 * updated history, or (for a click too late to place) a dead letter.
 *
 * @param click the click
 * @param instance the training instance (history before the click → the click), or null
 * @param history the user's history after the click, or null
 * @param deadLetter non-null when the click was rejected
 */
public record ClickOutcome(
    ClickEvent click, TrainingInstance instance, UserHistory history, DeadLetter deadLetter) {

  public boolean accepted() {
    return deadLetter == null;
  }
}
