package dev.freshet.embedded.registry.internals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Confluent's compatibility levels (NONE, BACKWARD, FORWARD, FULL and their _TRANSITIVE forms)
 * decided by Avro's {@link SchemaCompatibility}. Mirrors {@code dev.freshet.registry.internals} of
 * the schemas module, which this module cannot depend on (the schemas tests depend on it).
 */
final class AvroCompatibility {

  static final Set<String> LEVELS =
      Set.of(
          "NONE",
          "BACKWARD",
          "BACKWARD_TRANSITIVE",
          "FORWARD",
          "FORWARD_TRANSITIVE",
          "FULL",
          "FULL_TRANSITIVE");

  private AvroCompatibility() {}

  /** The level in canonical spelling, or a 42203 error. */
  static String parseLevel(String level) {
    String upper = level == null ? "" : level.trim().toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(upper)) {
      throw RegistryError.invalidCompatibilityLevel(level);
    }
    return upper;
  }

  /**
   * Incompatibilities of {@code candidate} with {@code previous} (oldest first) under {@code
   * level}.
   */
  static List<String> check(String level, Schema candidate, List<Schema> previous) {
    List<String> problems = new ArrayList<>();
    if (level.equals("NONE") || previous.isEmpty()) {
      return problems;
    }
    boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
    boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
    List<Schema> against =
        level.endsWith("_TRANSITIVE") ? previous : List.of(previous.get(previous.size() - 1));
    for (Schema existing : against) {
      if (backward) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing),
            "new schema cannot read data written with an earlier one",
            problems);
      }
      if (forward) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate),
            "an earlier schema cannot read data written with the new one",
            problems);
      }
    }
    return problems;
  }

  private static void describe(SchemaPairCompatibility pair, String what, List<String> problems) {
    if (pair.getType() != SchemaCompatibilityType.COMPATIBLE) {
      problems.add(what + ": " + pair.getResult().getIncompatibilities());
    }
  }
}
