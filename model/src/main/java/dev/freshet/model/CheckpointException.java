package dev.freshet.model;

/**
 * A checkpoint could not be read: corrupt, truncated, not a checkpoint, or an unsupported version.
 */
public final class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
