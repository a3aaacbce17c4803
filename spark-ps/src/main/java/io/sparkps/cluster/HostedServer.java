package io.sparkps.cluster;

import io.netty.channel.Channel;
import io.sparkps.server.LocalConnection;
import io.sparkps.server.ParamServer;
import io.sparkps.transport.LocalEndpoints;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import java.net.InetSocketAddress;

/**
 * A server living inside another JVM for a while, such as an executor running the worker it is
 * co-located with. Workers of the same JVM reach it directly (see {@link LocalEndpoints}),
 * others over its socket. {@link #close()} stops it and its threads.
 */
public final class HostedServer implements AutoCloseable {
  private final Transport transport;
  private final ParamServer server;
  private final Channel listening;
  private final InetSocketAddress address;

  private HostedServer(Transport transport, ParamServer server, Channel listening,
      InetSocketAddress address) {
    this.transport = transport;
    this.server = server;
    this.listening = listening;
    this.address = address;
  }

  /** Starts a server listening on {@code host} at any free port, without encryption. */
  public static HostedServer start(int id, String host, Secret secret, int ioThreads,
      int maxFrameBytes, long timeoutMs) {
    return start(id, host, secret, ioThreads, maxFrameBytes, timeoutMs, false);
  }

  /**
   * Starts a server listening on {@code host} at any free port.
   *
   * @param encrypt whether its connections, and those it opens to other servers, are
   *     encrypted (spark.ps.crypto.enabled)
   */
  public static HostedServer start(int id, String host, Secret secret, int ioThreads,
      int maxFrameBytes, long timeoutMs, boolean encrypt) {
    Transport transport = new Transport("ps-hosted-" + id, secret, ioThreads, maxFrameBytes,
        timeoutMs, encrypt);
    try {
      ParamServer server = new ParamServer(timeoutMs, transport.timer(),
          a -> LocalEndpoints.connect(a)
              .<java.util.concurrent.CompletableFuture<io.sparkps.transport.Connection>>map(
                  java.util.concurrent.CompletableFuture::completedFuture)
              .orElseGet(() -> transport.connect(a, m -> { }).thenApply(c -> c)));
      Channel listening = transport.listen(host, 0, server);
      int port = ((InetSocketAddress) listening.localAddress()).getPort();
      InetSocketAddress address = new InetSocketAddress(host, port);
      LocalEndpoints.register(address,
          () -> new LocalConnection(server, "server " + id + " at " + address, timeoutMs,
              transport.timer()));
      return new HostedServer(transport, server, listening, address);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  public ParamServer server() {
    return server;
  }

  @Override
  public void close() {
    LocalEndpoints.unregister(address);
    server.closeLinks();
    listening.close().syncUninterruptibly();
    transport.close();
  }
}
