package io.sparkps.transport;

import io.netty.channel.Channel;

/**
 * What an accepting endpoint does with the messages of authenticated peers. Called on the
 * connection's event loop: implementations must not block; they answer by writing to {@code
 * peer}, now or later.
 */
public interface RequestHandler {
  void handle(Channel peer, Message message);

  /** A peer's connection closed; default: nothing. */
  default void disconnected(Channel peer) {}
}
