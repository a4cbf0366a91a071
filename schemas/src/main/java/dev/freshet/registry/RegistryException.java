package dev.freshet.registry;

/**
 * A schema registry request failed. Carries the HTTP status and Confluent's {@code error_code} so
 * callers can tell "not there" from "rejected" from "registry down" without parsing messages.
 *
 * <p>Transport failures (connection refused, timeout) have {@link #httpStatus()} {@link
 * #NO_HTTP_STATUS} and {@link #errorCode()} {@link #NO_ERROR_CODE}; they and 5xx answers are {@link
 * #isUnavailable() unavailable}, and were already retried by the client before this was thrown.
 */
public final class RegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** {@link #httpStatus()} of a failure that never got an HTTP answer. */
  public static final int NO_HTTP_STATUS = -1;

  /** {@link #errorCode()} when the answer carried no Confluent error code. */
  public static final int NO_ERROR_CODE = -1;

  /** Subject not found (HTTP 404). */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Version not found (HTTP 404). */
  public static final int VERSION_NOT_FOUND = 40402;

  /** Schema not found: unknown id, or a lookup of a schema not registered under the subject. */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /** Subject was soft-deleted (HTTP 404). */
  public static final int SUBJECT_SOFT_DELETED = 40404;

  /** Subject has no subject-level compatibility configured (HTTP 404). */
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

  /** The new schema is incompatible with earlier versions (HTTP 409). */
  public static final int INCOMPATIBLE_SCHEMA = 409;

  /** The schema is not a valid schema (HTTP 422). */
  public static final int INVALID_SCHEMA = 42201;

  /** The version is not a valid version (HTTP 422). */
  public static final int INVALID_VERSION = 42202;

  /** The compatibility level is not valid (HTTP 422). */
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

  /** Error in the registry's backend store (HTTP 500). */
  public static final int STORE_ERROR = 50001;

  /** Timeout in the registry's backend (HTTP 500). */
  public static final int OPERATION_TIMEOUT = 50002;

  /** The registry could not forward the request to its leader (HTTP 500). */
  public static final int FORWARDING_ERROR = 50003;

  private final int httpStatus;
  private final int errorCode;

  /**
   * @param httpStatus the HTTP status, or {@link #NO_HTTP_STATUS}
   * @param errorCode Confluent's error code, or {@link #NO_ERROR_CODE}
   * @param message what failed; the registry's own message is included by the client
   * @param cause the underlying failure, may be null
   */
  public RegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** Like {@link #RegistryException(int, int, String, Throwable)} without a cause. */
  public RegistryException(int httpStatus, int errorCode, String message) {
    this(httpStatus, errorCode, message, null);
  }

  /** The HTTP status of the answer, or {@link #NO_HTTP_STATUS} if there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent's {@code error_code}, or {@link #NO_ERROR_CODE}. */
  public int errorCode() {
    return errorCode;
  }

  /** The subject does not exist (40401). */
  public boolean isSubjectNotFound() {
    return errorCode == SUBJECT_NOT_FOUND;
  }

  /** The schema id is unknown, or the schema is not registered under the subject (40403). */
  public boolean isSchemaNotFound() {
    return errorCode == SCHEMA_NOT_FOUND;
  }

  /** The registry rejected the schema as incompatible with the subject's earlier versions. */
  public boolean isIncompatible() {
    return errorCode == INCOMPATIBLE_SCHEMA || (httpStatus == 409 && errorCode == NO_ERROR_CODE);
  }

  /** The registry rejected the schema as invalid (42201). */
  public boolean isInvalidSchema() {
    return errorCode == INVALID_SCHEMA;
  }

  /**
   * The registry could not be reached or failed internally (transport error or HTTP 5xx), after the
   * client's retries. Retrying later may succeed; the request itself was not judged.
   */
  public boolean isUnavailable() {
    return httpStatus == NO_HTTP_STATUS || httpStatus >= 500;
  }

  /**
   * The first {@link #isUnavailable() unavailable} registry failure in {@code failure}'s chain of
   * causes: the sign of a registry outage behind a serializer's or deserializer's exception. Empty
   * if the chain holds none, or if its first registry failure was an answer (schema not found,
   * refused credentials), which retrying does not mend.
   */
  public static java.util.Optional<RegistryException> unavailableIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RegistryException r) {
        return r.isUnavailable() ? java.util.Optional.of(r) : java.util.Optional.empty();
      }
    }
    return java.util.Optional.empty();
  }
}
