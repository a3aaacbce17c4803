package io.sparkps.transport;

/** The peer closed the connection during the handshake: it does not take this secret. */
public final class AuthRefusedException extends TransportException {
  AuthRefusedException(String message) {
    super(message);
  }
}
