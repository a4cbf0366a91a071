package dev.freshet.embedded.registry.internals;

import dev.freshet.embedded.registry.internals.RegistryEvent.Compatibility;
import dev.freshet.embedded.registry.internals.RegistryEvent.SchemaVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * The registry's state and rules, event-sourced from a {@link SchemaLog}: built by replaying the
 * log, changed only by appending an event and then applying it (write-through, single writer; all
 * methods are synchronized).
 *
 * <p>Semantics follow Confluent's registry: schemas are compared in Avro's normalised form ({@code
 * Schema.toString()} of the parsed schema); identical schemas share one global id across subjects;
 * ids and version numbers are never reused; registering a schema the subject already has returns
 * its id; deleting a subject is a soft delete that keeps ids resolvable.
 */
public final class RegistryState {

  private final SchemaLog log;
  private final Map<Integer, String> schemasById = new HashMap<>();
  private final Map<String, Integer> idsBySchema = new HashMap<>();
  private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
  private final Map<String, String> subjectLevels = new HashMap<>();
  private String globalLevel;
  private int maxId;

  /**
   * Replays {@code log}. {@code defaultLevel} is the global compatibility until the log says
   * otherwise.
   */
  public RegistryState(SchemaLog log, String defaultLevel) {
    this.log = Objects.requireNonNull(log, "log");
    this.globalLevel = AvroCompatibility.parseLevel(defaultLevel);
    for (RegistryEvent event : log.readAll()) {
      apply(event);
    }
  }

  private void apply(RegistryEvent event) {
    if (event instanceof SchemaVersion v) {
      subjects.computeIfAbsent(v.subject(), s -> new TreeMap<>()).put(v.version(), v);
      schemasById.putIfAbsent(v.id(), v.schema());
      idsBySchema.putIfAbsent(v.schema(), v.id());
      maxId = Math.max(maxId, v.id());
    } else if (event instanceof Compatibility c) {
      if (c.subject() == null) {
        globalLevel = c.level();
      } else {
        subjectLevels.put(c.subject(), c.level());
      }
    }
  }

  private void write(RegistryEvent event) {
    log.append(event);
    apply(event);
  }

  /** Registers {@code schemaText} under {@code subject}; returns its id. 409 / 42201 on refusal. */
  public synchronized int register(String subject, String schemaText) {
    Schema schema = parse(schemaText);
    String canonical = schema.toString();
    List<SchemaVersion> live = live(subject);
    for (SchemaVersion v : live) {
      if (v.schema().equals(canonical)) {
        return v.id();
      }
    }
    List<String> problems = AvroCompatibility.check(level(subject), schema, parsed(live));
    if (!problems.isEmpty()) {
      throw RegistryError.incompatible(
          "Schema being registered is incompatible with an earlier schema for subject '"
              + subject
              + "' ("
              + level(subject)
              + "): "
              + problems);
    }
    int id = idsBySchema.getOrDefault(canonical, maxId + 1);
    TreeMap<Integer, SchemaVersion> all = subjects.get(subject);
    int version = all == null || all.isEmpty() ? 1 : all.lastKey() + 1;
    write(new SchemaVersion(subject, version, id, canonical, false));
    return id;
  }

  /** The live version of {@code subject} whose schema is {@code schemaText}; 40401 / 40403. */
  public synchronized SchemaVersion lookup(String subject, String schemaText) {
    String canonical = parse(schemaText).toString();
    List<SchemaVersion> live = live(subject);
    if (live.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    for (SchemaVersion v : live) {
      if (v.schema().equals(canonical)) {
        return v;
      }
    }
    throw RegistryError.schemaNotFound(
        "The given schema does not match any schema under subject '" + subject + "'.");
  }

  /** A live version: {@code "latest"} or a number; 40401 / 40402. */
  public synchronized SchemaVersion version(String subject, String version) {
    List<SchemaVersion> live = live(subject);
    if (live.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    if (version.equals("latest") || version.equals("-1")) {
      return live.get(live.size() - 1);
    }
    int number;
    try {
      number = Integer.parseInt(version);
    } catch (NumberFormatException e) {
      throw new RegistryError(422, 42202, "Invalid version '" + version + "'.");
    }
    return live.stream()
        .filter(v -> v.version() == number)
        .findFirst()
        .orElseThrow(() -> RegistryError.versionNotFound(subject, version));
  }

  /** The live version numbers of {@code subject}; 40401 if none. */
  public synchronized List<Integer> versions(String subject) {
    List<SchemaVersion> live = live(subject);
    if (live.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    return live.stream().map(SchemaVersion::version).toList();
  }

  /** The schema with {@code id}; 40403. */
  public synchronized String schemaById(int id) {
    String schema = schemasById.get(id);
    if (schema == null) {
      throw RegistryError.schemaNotFound("Schema " + id + " not found.");
    }
    return schema;
  }

  /**
   * Whether {@code schemaText} could be registered under {@code subject}; true for a subject
   * without live versions.
   */
  public synchronized boolean isCompatible(String subject, String schemaText) {
    Schema schema = parse(schemaText);
    return AvroCompatibility.check(level(subject), schema, parsed(live(subject))).isEmpty();
  }

  /** Subjects with at least one live version, sorted. */
  public synchronized List<String> subjects() {
    List<String> names = new ArrayList<>();
    subjects.forEach(
        (name, versions) -> {
          if (versions.values().stream().anyMatch(v -> !v.deleted())) {
            names.add(name);
          }
        });
    return names;
  }

  /** Soft-deletes every live version of {@code subject}; returns their numbers; 40401. */
  public synchronized List<Integer> deleteSubject(String subject) {
    List<SchemaVersion> live = live(subject);
    if (live.isEmpty()) {
      throw RegistryError.subjectNotFound(subject);
    }
    for (SchemaVersion v : live) {
      write(new SchemaVersion(v.subject(), v.version(), v.id(), v.schema(), true));
    }
    return live.stream().map(SchemaVersion::version).toList();
  }

  public synchronized String globalLevel() {
    return globalLevel;
  }

  /** Sets the global level; returns it in canonical spelling; 42203. */
  public synchronized String setGlobalLevel(String level) {
    String parsed = AvroCompatibility.parseLevel(level);
    write(new Compatibility(null, parsed));
    return parsed;
  }

  /** The subject's own level, if set. */
  public synchronized Optional<String> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  /** Sets the subject's own level; returns it in canonical spelling; 42203. */
  public synchronized String setSubjectLevel(String subject, String level) {
    String parsed = AvroCompatibility.parseLevel(level);
    write(new Compatibility(Objects.requireNonNull(subject, "subject"), parsed));
    return parsed;
  }

  private String level(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private List<SchemaVersion> live(String subject) {
    TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
    if (versions == null) {
      return List.of();
    }
    return versions.values().stream().filter(v -> !v.deleted()).toList();
  }

  private static List<Schema> parsed(List<SchemaVersion> versions) {
    return versions.stream().map(v -> new Schema.Parser().parse(v.schema())).toList();
  }

  private static Schema parse(String schemaText) {
    if (schemaText == null || schemaText.isBlank()) {
      throw RegistryError.invalidSchema("Empty schema.");
    }
    try {
      return new Schema.Parser().parse(schemaText);
    } catch (AvroRuntimeException | IllegalArgumentException e) {
      throw RegistryError.invalidSchema("Invalid schema: " + e.getMessage());
    }
  }
}
