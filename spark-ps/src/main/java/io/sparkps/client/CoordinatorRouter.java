package io.sparkps.client;

import io.sparkps.transport.Message;
import io.sparkps.transport.Routes;
import io.sparkps.transport.RoutesRequest;
import io.sparkps.transport.Transport;
import io.sparkps.transport.TransportClient;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The coordinator's slice map, as one client sees it: fetched at connect, then kept current by
 * the changes the coordinator sends this connection, and asked for again when a request
 * reaches a server that no longer serves its slice.
 */
final class CoordinatorRouter implements Router {
  private final TransportClient link;
  private final Consumer<RouteTable> onChange;
  private volatile RouteTable table;

  private CoordinatorRouter(TransportClient link, RouteTable first,
      Consumer<RouteTable> onChange) {
    this.link = link;
    this.table = first;
    this.onChange = onChange;
  }

  /**
   * Connects to the coordinator and fetches the map; blocks up to the timeout.
   *
   * @param onChange told of every newer map, on a transport thread
   */
  static CoordinatorRouter connect(Transport transport, InetSocketAddress coordinator,
      long timeoutMs, Consumer<RouteTable> onChange) {
    CoordinatorRouter[] self = {null};
    TransportClient link = PsClient.await(transport.connect(coordinator, m -> {
      if (m instanceof Routes r && self[0] != null) {
        self[0].offer(RouteTable.of(r));
      }
    }), timeoutMs);
    try {
      Message first = PsClient.await(link.request(id -> new RoutesRequest(id, -1)), timeoutMs);
      self[0] = new CoordinatorRouter(link, RouteTable.of((Routes) first), onChange);
      return self[0];
    } catch (RuntimeException e) {
      link.close();
      throw e;
    }
  }

  private void offer(RouteTable next) {
    boolean newer;
    synchronized (this) {
      newer = next.epoch() > table.epoch();
      if (newer) {
        table = next;
      }
    }
    if (newer) {
      onChange.accept(next);
    }
  }

  @Override
  public RouteTable current() {
    return table;
  }

  @Override
  public CompletableFuture<RouteTable> newerThan(long epoch) {
    RouteTable now = table;
    if (now.epoch() > epoch) {
      return CompletableFuture.completedFuture(now);
    }
    return link.request(id -> new RoutesRequest(id, epoch)).thenApply(m -> {
      offer(RouteTable.of((Routes) m));
      return table;
    });
  }

  @Override
  public boolean moves() {
    return true;
  }

  @Override
  public void close() {
    link.close();
  }
}
