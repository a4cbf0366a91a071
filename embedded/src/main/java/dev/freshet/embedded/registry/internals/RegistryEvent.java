package dev.freshet.embedded.registry.internals;

import java.util.Objects;

/**
 * One change of the registry state, as stored in the schema log. The log is compacted by {@link
 * #key()}: the latest event per key is the truth.
 */
public sealed interface RegistryEvent {

  /** The compaction key. */
  String key();

  /**
   * Version {@code version} of {@code subject} is schema {@code id}; {@code deleted} marks a
   * soft-deleted version (the id stays resolvable).
   */
  record SchemaVersion(String subject, int version, int id, String schema, boolean deleted)
      implements RegistryEvent {
    /** Checks the fields. */
    public SchemaVersion {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(schema, "schema");
      if (version < 1 || id < 1) {
        throw new IllegalArgumentException("version and id must be >= 1: " + version + ", " + id);
      }
    }

    @Override
    public String key() {
      return "schema/" + subject + "/" + version;
    }
  }

  /**
   * The compatibility level of {@code subject}, or the global level when {@code subject} is null.
   */
  record Compatibility(String subject, String level) implements RegistryEvent {
    /** Checks the level is set. */
    public Compatibility {
      Objects.requireNonNull(level, "level");
    }

    @Override
    public String key() {
      return subject == null ? "config" : "config/" + subject;
    }
  }
}
