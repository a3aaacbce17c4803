package io.sparkps.client;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a worker needs to reach the servers, the application secret, and the transport limits.
 * Shipped to executors inside the training task.
 *
 * <p>Separate servers are found through the coordinator, which owns the slice map and tells
 * where every slice is served now ({@code coordinator} set, {@code servers} empty). Co-located
 * servers, which are not replicated, are listed by id instead ({@code coordinator} null).
 *
 * @param servers host and port of each server, by server id; empty with a coordinator
 * @param secretHex the application secret, hex encoded
 * @param timeoutMs timeout for connecting and for every request (spark.ps.rpc.timeout)
 * @param maxFrameBytes largest frame (spark.ps.transport.maxFrameBytes)
 * @param coordinator where the slice map is served, or null for a fixed list of servers
 * @param encrypted whether connections are encrypted (spark.ps.crypto.enabled); the servers
 *     refuse a client that differs
 */
public record ClusterInfo(
    List<InetSocketAddress> servers, String secretHex, long timeoutMs, int maxFrameBytes,
    InetSocketAddress coordinator, boolean encrypted) implements Serializable {

  public ClusterInfo {
    servers = List.copyOf(servers);
  }

  /** A fixed list of servers, without a coordinator, reached without encryption. */
  public ClusterInfo(List<InetSocketAddress> servers, String secretHex, long timeoutMs,
      int maxFrameBytes) {
    this(servers, secretHex, timeoutMs, maxFrameBytes, null, false);
  }

  /** The same servers with another request timeout. */
  public ClusterInfo withTimeoutMs(long timeout) {
    return new ClusterInfo(servers, secretHex, timeout, maxFrameBytes, coordinator, encrypted);
  }

  /** A fixed list of servers, without a coordinator, with this secret, limits and encryption. */
  public ClusterInfo withServers(List<InetSocketAddress> fixed) {
    return new ClusterInfo(fixed, secretHex, timeoutMs, maxFrameBytes, null, encrypted);
  }

  @Override
  public String toString() {
    return "ClusterInfo" + (coordinator == null ? servers : "[coordinator " + coordinator + "]")
        + " timeoutMs=" + timeoutMs + (encrypted ? " encrypted" : "");
  }
}
