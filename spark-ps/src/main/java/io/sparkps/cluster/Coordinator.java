package io.sparkps.cluster;

import io.netty.channel.Channel;
import io.sparkps.transport.Ack;
import io.sparkps.transport.Heartbeat;
import io.sparkps.transport.Message;
import io.sparkps.transport.Register;
import io.sparkps.transport.RequestHandler;
import io.sparkps.transport.Shutdown;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of membership: servers register here with the address they serve on, and
 * renew their lease with heartbeats. Stopping the cluster tells every registered server to exit.
 */
final class Coordinator implements RequestHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final Map<Integer, InetSocketAddress> addresses = new ConcurrentHashMap<>();
  private final Map<Integer, Channel> links = new ConcurrentHashMap<>();
  private final Map<Integer, Long> lastHeartbeat = new ConcurrentHashMap<>();
  private final CountDownLatch allRegistered;
  private volatile boolean stopping;

  Coordinator(int expectedServers) {
    this.allRegistered = new CountDownLatch(expectedServers);
  }

  @Override
  public void handle(Channel peer, Message message) {
    if (message instanceof Register r) {
      InetSocketAddress address = new InetSocketAddress(r.host(), r.port());
      InetSocketAddress before = addresses.put(r.serverId(), address);
      links.put(r.serverId(), peer);
      lastHeartbeat.put(r.serverId(), System.currentTimeMillis());
      if (before == null) {
        LOG.info("Server {} registered at {}", r.serverId(), address);
        allRegistered.countDown();
      }
      peer.writeAndFlush(new Ack(r.requestId()));
    } else if (message instanceof Heartbeat h) {
      lastHeartbeat.put(h.serverId(), System.currentTimeMillis());
      peer.writeAndFlush(new Ack(h.requestId()));
    } else {
      throw new IllegalArgumentException("the coordinator does not take " + message.type());
    }
  }

  @Override
  public void disconnected(Channel peer) {
    links.entrySet().removeIf(e -> {
      if (e.getValue() == peer) {
        if (stopping) {
          LOG.info("Server {} disconnected after being told to stop", e.getKey());
        } else {
          LOG.warn("Lost the connection of server {}", e.getKey());
        }
        return true;
      }
      return false;
    });
  }

  boolean awaitRegistrations(long timeoutMs) throws InterruptedException {
    return allRegistered.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  InetSocketAddress address(int serverId) {
    return addresses.get(serverId);
  }

  int registered() {
    return addresses.size();
  }

  /** Tells every connected server to exit. */
  void shutdownAll() {
    stopping = true;
    for (Channel c : links.values()) {
      c.writeAndFlush(new Shutdown());
    }
  }
}
