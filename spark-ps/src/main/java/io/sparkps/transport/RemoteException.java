package io.sparkps.transport;

import io.sparkps.config.PsException;

/** The peer answered a request with {@link Failure}. */
public class RemoteException extends PsException {
  private final boolean retriable;

  public RemoteException(String message, boolean retriable) {
    super(message);
    this.retriable = retriable;
  }

  @Override
  public boolean isRetriable() {
    return retriable;
  }
}
