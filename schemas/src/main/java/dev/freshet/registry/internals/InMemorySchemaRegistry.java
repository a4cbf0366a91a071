package dev.freshet.registry.internals;

import dev.freshet.registry.CompatibilityLevel;
import dev.freshet.registry.RegistryException;
import dev.freshet.registry.SchemaMetadata;
import dev.freshet.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * The registry behind {@code mock://scope}: the same semantics as Confluent's registry, in memory.
 * Identical schemas (same parsed form) share one global id across subjects; versions count from 1
 * per subject; registering a schema the subject already has returns its id without a new version;
 * new schemas are checked with {@link AvroCompatibility} under the subject's level (global default
 * BACKWARD); deleting a subject keeps its ids resolvable. Thread-safe (one lock).
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

  private final Map<String, Integer> idsBySchema = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, List<SchemaMetadata>> subjects = new LinkedHashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int nextId = 1;

  @Override
  public synchronized int register(String subject, Schema schema) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    List<SchemaMetadata> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    String key = schema.toString();
    for (SchemaMetadata version : versions) {
      if (version.schema().toString().equals(key)) {
        return version.id();
      }
    }
    List<String> problems =
        AvroCompatibility.check(
            levelOf(subject), schema, versions.stream().map(SchemaMetadata::schema).toList());
    if (!problems.isEmpty()) {
      if (versions.isEmpty()) {
        subjects.remove(subject);
      }
      throw new RegistryException(
          409,
          RegistryException.INCOMPATIBLE_SCHEMA,
          "Schema being registered is incompatible with an earlier schema for subject '"
              + subject
              + "': "
              + problems);
    }
    int id =
        idsBySchema.computeIfAbsent(
            key,
            k -> {
              int fresh = nextId++;
              schemasById.put(fresh, schema);
              return fresh;
            });
    int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    versions.add(new SchemaMetadata(subject, version, id, schemasById.get(id)));
    return id;
  }

  @Override
  public synchronized Schema getSchemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new RegistryException(
          404, RegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized SchemaMetadata getLatestSchemaMetadata(String subject) {
    List<SchemaMetadata> versions = versionsOf(subject);
    return versions.get(versions.size() - 1);
  }

  @Override
  public synchronized SchemaMetadata lookup(String subject, Schema schema) {
    Objects.requireNonNull(schema, "schema");
    String key = schema.toString();
    for (SchemaMetadata version : versionsOf(subject)) {
      if (version.schema().toString().equals(key)) {
        return version;
      }
    }
    throw new RegistryException(
        404,
        RegistryException.SCHEMA_NOT_FOUND,
        "The given schema is not registered under subject '" + subject + "'");
  }

  @Override
  public synchronized boolean testCompatibility(String subject, Schema schema) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    List<SchemaMetadata> versions = subjects.getOrDefault(subject, List.of());
    return AvroCompatibility.check(
            levelOf(subject), schema, versions.stream().map(SchemaMetadata::schema).toList())
        .isEmpty();
  }

  @Override
  public synchronized CompatibilityLevel getGlobalCompatibility() {
    return globalLevel;
  }

  @Override
  public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
    globalLevel = Objects.requireNonNull(level, "level");
  }

  @Override
  public synchronized CompatibilityLevel getCompatibility(String subject) {
    return levelOf(Objects.requireNonNull(subject, "subject"));
  }

  @Override
  public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    subjectLevels.put(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(level));
  }

  @Override
  public synchronized List<String> listSubjects() {
    return List.copyOf(subjects.keySet());
  }

  @Override
  public synchronized List<Integer> deleteSubject(String subject) {
    List<Integer> versions = versionsOf(subject).stream().map(SchemaMetadata::version).toList();
    subjects.remove(subject);
    return versions;
  }

  /** Nothing to release: the registry lives as long as its scope. */
  @Override
  public void close() {}

  private CompatibilityLevel levelOf(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private List<SchemaMetadata> versionsOf(String subject) {
    Objects.requireNonNull(subject, "subject");
    List<SchemaMetadata> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new RegistryException(
          404, RegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found");
    }
    return versions;
  }
}
