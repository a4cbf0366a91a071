package dev.freshet.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The operations of the Confluent Schema Registry REST API that Freshet uses. Implementations are
 * thread-safe. Every method throws {@link RegistryException} when the registry answers with an
 * error or cannot be reached; the documented error codes are those of Confluent's API.
 *
 * <p>Build one with {@link SchemaRegistryClients#create}. Close it when done (releases the HTTP
 * client's resources; a no-op for {@code mock://}).
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /**
   * Registers {@code schema} under {@code subject} (a new version unless the subject already has an
   * identical schema) and returns its global id. Idempotent.
   *
   * @throws RegistryException 409 if the schema is incompatible under the subject's compatibility
   *     level; 42201 if the registry finds the schema invalid
   */
  int register(String subject, Schema schema);

  /**
   * The schema with global id {@code id}.
   *
   * @throws RegistryException 40403 if no schema has that id
   */
  Schema getSchemaById(int id);

  /**
   * The latest version registered under {@code subject}.
   *
   * @throws RegistryException 40401 if the subject does not exist
   */
  SchemaMetadata getLatestSchemaMetadata(String subject);

  /**
   * The version of {@code subject} whose schema is {@code schema}, without registering anything.
   *
   * @throws RegistryException 40401 if the subject does not exist; 40403 if the subject has no such
   *     schema
   */
  SchemaMetadata lookup(String subject, Schema schema);

  /**
   * Whether {@code schema} could be registered under {@code subject} given the subject's
   * compatibility level and its latest version (all versions for transitive levels). A subject that
   * does not exist accepts any schema: true.
   */
  boolean testCompatibility(String subject, Schema schema);

  /** The registry-wide compatibility level. */
  CompatibilityLevel getGlobalCompatibility();

  /** Sets the registry-wide compatibility level. */
  void setGlobalCompatibility(CompatibilityLevel level);

  /**
   * The level that applies to {@code subject}: its own if configured, the global level otherwise
   * ({@code GET /config/{subject}?defaultToGlobal=true}, falling back to {@code GET /config} on
   * 40408/40401 for registries that ignore the parameter).
   */
  CompatibilityLevel getCompatibility(String subject);

  /** Sets {@code subject}'s own compatibility level (overrides the global one). */
  void setCompatibility(String subject, CompatibilityLevel level);

  /** The subjects that have at least one live version, in no particular order. */
  List<String> listSubjects();

  /**
   * Deletes {@code subject} (Confluent's soft delete: ids stay resolvable, so records already
   * written can still be read) and returns the versions it had.
   *
   * @throws RegistryException 40401 if the subject does not exist
   */
  List<Integer> deleteSubject(String subject);

  /** Releases resources. Does not throw. */
  @Override
  void close();
}
