package io.sparkps.transport;

import io.sparkps.config.RetriablePsException;

/** A connection failed or closed, or a request timed out; the same call may succeed later. */
public class TransportException extends RetriablePsException {
  public TransportException(String message) {
    super(message);
  }

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
