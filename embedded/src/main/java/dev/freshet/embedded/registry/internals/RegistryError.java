package dev.freshet.embedded.registry.internals;

/** A request the registry refuses, with the HTTP status and Confluent error code to answer with. */
public final class RegistryError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  /** An error answered as HTTP {@code httpStatus} with body {@code {error_code, message}}. */
  public RegistryError(int httpStatus, int errorCode, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int errorCode() {
    return errorCode;
  }

  static RegistryError subjectNotFound(String subject) {
    return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryError versionNotFound(String subject, String version) {
    return new RegistryError(
        404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
  }

  static RegistryError schemaNotFound(String message) {
    return new RegistryError(404, 40403, message);
  }

  static RegistryError incompatible(String message) {
    return new RegistryError(409, 409, message);
  }

  static RegistryError invalidSchema(String message) {
    return new RegistryError(422, 42201, message);
  }

  static RegistryError invalidCompatibilityLevel(String level) {
    return new RegistryError(422, 42203, "Invalid compatibility level '" + level + "'.");
  }
}
