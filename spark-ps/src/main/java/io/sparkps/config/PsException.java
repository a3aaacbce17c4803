package io.sparkps.config;

/**
 * Root of the spark-ps exception hierarchy.
 *
 * <p>Callers decide between retrying and giving up with {@link #isRetriable()} rather
 * than by matching subclasses: {@link RetriablePsException} marks transient failures
 * (a server that is restarting, a timed-out request), everything else is fatal
 * (bad configuration, mismatched dimensions). Messages say what to change; the cause,
 * when there is one, is always kept.
 */
public class PsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PsException(String message) {
    super(message);
  }

  public PsException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether the same operation may succeed if tried again. False unless a subclass says so. */
  public boolean isRetriable() {
    return false;
  }
}
