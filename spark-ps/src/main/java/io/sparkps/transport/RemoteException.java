package io.sparkps.transport;

import io.sparkps.config.PsException;

/** The peer answered a request with {@link Failure}. */
public class RemoteException extends PsException {
  private final Failure.Kind kind;

  public RemoteException(String message, boolean retriable) {
    this(message, retriable ? Failure.Kind.RETRIABLE : Failure.Kind.FATAL);
  }

  public RemoteException(String message, Failure.Kind kind) {
    super(message);
    this.kind = kind;
  }

  @Override
  public boolean isRetriable() {
    return kind != Failure.Kind.FATAL;
  }

  /** The peer does not serve the slice as its primary: resend to the current one. */
  public boolean notPrimary() {
    return kind == Failure.Kind.NOT_PRIMARY;
  }

  /** The slice is switching to another server: resend once the map names its new primary. */
  public boolean moving() {
    return kind == Failure.Kind.MOVING;
  }
}
