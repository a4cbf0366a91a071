package dev.freshet.registry;

import java.util.Locale;
import java.util.Objects;

/**
 * Confluent's compatibility levels. A level says which earlier versions of a subject a new schema
 * is checked against and in which direction:
 *
 * <ul>
 *   <li>{@code BACKWARD}: readers using the new schema can read data written with the latest one
 *       (the default, and what consumers-upgrade-first deployments need);
 *   <li>{@code FORWARD}: readers using the latest schema can read data written with the new one;
 *   <li>{@code FULL}: both;
 *   <li>{@code *_TRANSITIVE}: the same against every earlier version, not only the latest;
 *   <li>{@code NONE}: no check.
 * </ul>
 */
public enum CompatibilityLevel {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE;

  /** True when the new schema must be able to read data written with earlier schemas. */
  public boolean checksBackward() {
    return this == BACKWARD
        || this == BACKWARD_TRANSITIVE
        || this == FULL
        || this == FULL_TRANSITIVE;
  }

  /** True when earlier schemas must be able to read data written with the new schema. */
  public boolean checksForward() {
    return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
  }

  /** True when the check covers every earlier version rather than only the latest. */
  public boolean isTransitive() {
    return this == BACKWARD_TRANSITIVE || this == FORWARD_TRANSITIVE || this == FULL_TRANSITIVE;
  }

  /**
   * Parses a level as the registry spells it (case-insensitive).
   *
   * @throws IllegalArgumentException if {@code name} is not a level
   */
  public static CompatibilityLevel parse(String name) {
    Objects.requireNonNull(name, "name");
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown compatibility level '" + name + "'", e);
    }
  }
}
