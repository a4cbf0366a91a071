package dev.freshet.registry.internals;

import dev.freshet.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Confluent's compatibility rules, decided by Avro's {@link SchemaCompatibility}. */
public final class AvroCompatibility {

  private AvroCompatibility() {}

  /**
   * Checks {@code candidate} against a subject's existing schemas under {@code level}.
   *
   * @param previous the subject's live schemas, oldest first (may be empty)
   * @return human-readable incompatibilities; empty when the candidate is compatible
   */
  public static List<String> check(
      CompatibilityLevel level, Schema candidate, List<Schema> previous) {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(previous, "previous");
    List<String> problems = new ArrayList<>();
    if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
      return problems;
    }
    List<Schema> against =
        level.isTransitive() ? previous : List.of(previous.get(previous.size() - 1));
    for (Schema existing : against) {
      if (level.checksBackward()) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing),
            "new schema cannot read data written with an earlier one",
            problems);
      }
      if (level.checksForward()) {
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
