package io.sparkps.config;

/**
 * A failure that may go away on its own: a lost connection, a server being replaced,
 * a request that timed out. Retrying the same operation is allowed.
 */
public class RetriablePsException extends PsException {

  private static final long serialVersionUID = 1L;

  public RetriablePsException(String message) {
    super(message);
  }

  public RetriablePsException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
