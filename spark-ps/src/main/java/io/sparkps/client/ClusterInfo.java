package io.sparkps.client;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a worker needs to reach the servers: their addresses (index = server id), the
 * application secret, and the transport limits. Shipped to executors inside the training task.
 *
 * @param servers host and port of each server, by server id
 * @param secretHex the application secret, hex encoded
 * @param timeoutMs timeout for connecting and for every request (spark.ps.rpc.timeout)
 * @param maxFrameBytes largest frame (spark.ps.transport.maxFrameBytes)
 */
public record ClusterInfo(
    List<InetSocketAddress> servers, String secretHex, long timeoutMs, int maxFrameBytes)
    implements Serializable {

  public ClusterInfo {
    servers = List.copyOf(servers);
  }

  /** The same servers with another request timeout. */
  public ClusterInfo withTimeoutMs(long timeout) {
    return new ClusterInfo(servers, secretHex, timeout, maxFrameBytes);
  }

  @Override
  public String toString() {
    return "ClusterInfo" + servers + " timeoutMs=" + timeoutMs;
  }
}
