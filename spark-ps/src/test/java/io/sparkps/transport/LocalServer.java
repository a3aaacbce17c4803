package io.sparkps.transport;

import io.netty.channel.Channel;
import io.sparkps.client.ClusterInfo;
import io.sparkps.client.PsClient;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A spark-ps endpoint listening on 127.0.0.1 on an ephemeral port, for tests. Every instance
 * uses {@link #SECRET_HEX}, so tests can also sign challenges by hand.
 */
public final class LocalServer implements AutoCloseable {
  public static final String SECRET_HEX =
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  public static final Secret SECRET = Secret.fromHex(SECRET_HEX);

  private final Transport transport;
  private final Channel listening;
  private final int maxFrameBytes;
  private final boolean encrypt;

  /**
   * @param handler answers authenticated peers
   * @param timeoutMs the server transport's timeout, which is its handshake deadline
   * @param maxFrameBytes largest frame the server accepts
   */
  public LocalServer(RequestHandler handler, long timeoutMs, int maxFrameBytes) {
    this(handler, timeoutMs, maxFrameBytes, false);
  }

  /** @param encrypt whether connections are encrypted (spark.ps.crypto.enabled) */
  public LocalServer(RequestHandler handler, long timeoutMs, int maxFrameBytes,
      boolean encrypt) {
    this.maxFrameBytes = maxFrameBytes;
    this.encrypt = encrypt;
    this.transport = new Transport("test-server", SECRET, 1, maxFrameBytes, timeoutMs, encrypt);
    try {
      this.listening = transport.listen("127.0.0.1", 0, handler);
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listening.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  public ClusterInfo clusterInfo(long clientTimeoutMs) {
    return clusterInfo(clientTimeoutMs, address());
  }

  /** Server 0 at {@code address} (this server, or a proxy in front of it). */
  public ClusterInfo clusterInfo(long clientTimeoutMs, InetSocketAddress address) {
    return new ClusterInfo(List.of(address), SECRET_HEX, clientTimeoutMs, maxFrameBytes, null,
        encrypt);
  }

  /** A {@link PsClient} with this server as server 0. */
  public PsClient psClient(long clientTimeoutMs) {
    return PsClient.connect(clusterInfo(clientTimeoutMs));
  }

  /**
   * Connects a raw client through {@code clientTransport} (which must use {@link #SECRET} to
   * succeed); waits at most 10 s.
   */
  public TransportClient connect(Transport clientTransport, Consumer<Message> oneWay)
      throws Exception {
    return clientTransport.connect(address(), oneWay).get(10, TimeUnit.SECONDS);
  }

  /** The AUTH_RESPONSE of an unencrypted client holding {@code secret}, for raw sockets. */
  static AuthResponse answer(Secret secret, Challenge c) {
    byte[] none = new byte[0];
    return new AuthResponse(false, none,
        Handshake.clientProof(secret, Handshake.transcript(c, false, none)));
  }

  @Override
  public void close() {
    try {
      listening.close().syncUninterruptibly();
    } finally {
      transport.close();
    }
  }
}
