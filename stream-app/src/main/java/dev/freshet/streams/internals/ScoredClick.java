package dev.freshet.streams.internals;

import dev.freshet.avro.Recommendations;
import dev.freshet.avro.UserVector;
import java.util.Objects;

/**
 * The outputs for one click: its recommendations, and the user vector when a model scored it (null
 * under the popularity fallback).
 */
public record ScoredClick(UserVector userVector, Recommendations recommendations) {
  public ScoredClick {
    Objects.requireNonNull(recommendations, "recommendations");
  }
}
