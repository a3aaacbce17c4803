package io.sparkps.transport;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Servers hosted in this JVM, by the address they also listen on. A client asked for such an
 * address calls the server directly instead of going through a socket: co-located workers
 * reach their server without one.
 */
public final class LocalEndpoints {
  private static final Map<InetSocketAddress, Supplier<Connection>> ENDPOINTS =
      new ConcurrentHashMap<>();

  private LocalEndpoints() {}

  public static void register(InetSocketAddress address, Supplier<Connection> connect) {
    ENDPOINTS.put(address, connect);
  }

  public static void unregister(InetSocketAddress address) {
    ENDPOINTS.remove(address);
  }

  /** A direct connection to the server at {@code address}, if it lives in this JVM. */
  public static Optional<Connection> connect(InetSocketAddress address) {
    Supplier<Connection> s = ENDPOINTS.get(address);
    return s == null ? Optional.empty() : Optional.of(s.get());
  }
}
