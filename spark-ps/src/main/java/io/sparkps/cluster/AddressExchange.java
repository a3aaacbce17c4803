package io.sparkps.cluster;

import io.netty.channel.Channel;
import io.sparkps.client.PsClient;
import io.sparkps.config.PsException;
import io.sparkps.transport.Failure;
import io.sparkps.transport.HostedAt;
import io.sparkps.transport.Message;
import io.sparkps.transport.RequestHandler;
import io.sparkps.transport.Routes;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import io.sparkps.transport.TransportClient;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The driver's end of a co-located fit's address exchange. Each training task tells it where
 * the server it hosts listens ({@link HostedAt}); the request is answered as soon as every
 * worker of its run of the stage has told, with where every hosted server listens. No one
 * polls: the last worker's request answers them all.
 *
 * <p>A run is one launch of the stage's tasks, keyed by Spark's stage id and attempt number
 * ({@link #run}): tasks of a stage run again get only their own run's addresses, and tasks
 * still waiting in an older run are failed. A run that misses a worker after {@code
 * timeoutMs} (spark.ps.server.startTimeout) fails every request of it, naming the workers that
 * did not come, and so does every later request of that run.
 *
 * <p>Authenticated with the fit's secret, like the servers. It listens on its own ({@link
 * #start}) or answers on a channel someone else listens on ({@link #on}: a fit's driver
 * channel, which hands it every {@link HostedAt}). {@link #close()} stops what it started.
 */
public final class AddressExchange implements RequestHandler, AutoCloseable {
  /**
   * Where tasks find the exchange, shipped with them.
   *
   * @param timeoutMs how long the driver waits for all workers of a run
   */
  public record Endpoint(InetSocketAddress address, long timeoutMs) implements Serializable {}

  /** The requests of one run, and where its servers listen so far. */
  private static final class Run {
    final InetSocketAddress[] servers;
    final boolean[] arrived;
    final List<Channel> peers = new ArrayList<>();
    final List<Long> requestIds = new ArrayList<>();
    int count;
    /** Set once the run failed: every later request of it gets this. */
    String failure;

    Run(int servers, int workers) {
      this.servers = new InetSocketAddress[servers];
      this.arrived = new boolean[workers];
    }

    boolean complete() {
      return count == arrived.length;
    }
  }

  private final Transport transport;
  /** The channel it listens on itself; null when it answers on someone else's. */
  private final Channel listening;
  private final Endpoint endpoint;
  private final int[] serverOf;
  private final int servers;
  /** The newest run: older ones are over (answered, failed or superseded). */
  private long newest = Long.MIN_VALUE;
  private Run current;

  private AddressExchange(Transport transport, Channel listening, Endpoint endpoint,
      int[] serverOf) {
    this.transport = transport;
    this.listening = listening;
    this.endpoint = endpoint;
    this.serverOf = serverOf.clone();
    this.servers = (int) Arrays.stream(serverOf).filter(s -> s >= 0).count();
  }

  /**
   * Starts listening on {@code bind} at any free port, advertised to tasks as {@code host}.
   *
   * @param serverOf per worker, the server it hosts, or -1
   * @param timeoutMs how long a run waits for its last worker (spark.ps.server.startTimeout)
   */
  public static AddressExchange start(String host, String bind, Secret secret, int maxFrameBytes,
      boolean encrypt, int[] serverOf, long timeoutMs) {
    Transport transport = new Transport("ps-exchange", secret, 1, maxFrameBytes, timeoutMs,
        encrypt);
    try {
      AddressExchange[] self = new AddressExchange[1];
      Channel listening = transport.listen(bind, 0, (peer, m) -> self[0].handle(peer, m));
      int port = ((InetSocketAddress) listening.localAddress()).getPort();
      self[0] = new AddressExchange(transport, listening,
          new Endpoint(new InetSocketAddress(host, port), timeoutMs), serverOf);
      return self[0];
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  /**
   * An exchange that answers the {@link HostedAt}s handed to its {@link #handle} by an endpoint
   * listening on {@code transport} at {@code advertised}; it starts and stops nothing.
   */
  public static AddressExchange on(Transport transport, InetSocketAddress advertised,
      int[] serverOf, long timeoutMs) {
    return new AddressExchange(transport, null, new Endpoint(advertised, timeoutMs), serverOf);
  }

  /** The key of one run of a stage: Spark's stage id and attempt number. */
  public static long run(int stageId, int stageAttempt) {
    return ((long) stageId << 32) | (stageAttempt & 0xffffffffL);
  }

  private static String describe(long run) {
    return "stage " + (run >>> 32) + ", attempt " + (int) run;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public void handle(Channel peer, Message message) {
    if (!(message instanceof HostedAt h)) {
      throw new IllegalArgumentException("the address exchange does not take " + message.type());
    }
    synchronized (this) {
      String refused = check(h);
      if (refused != null) {
        peer.writeAndFlush(new Failure(h.requestId(), Failure.Kind.FATAL, refused));
        return;
      }
      Run run = h.run() == newest ? current : begin(h.run());
      if (run.failure != null) {
        peer.writeAndFlush(new Failure(h.requestId(), Failure.Kind.FATAL, run.failure));
        return;
      }
      if (!run.arrived[h.worker()]) {
        run.arrived[h.worker()] = true;
        run.count++;
        if (h.serverId() >= 0) {
          run.servers[h.serverId()] = new InetSocketAddress(h.host(), h.port());
        }
      }
      run.peers.add(peer);
      run.requestIds.add(h.requestId());
      if (run.complete()) {
        answer(h.run(), run);
      }
    }
  }

  /** Why {@code h} is refused before it joins its run; null if it is not. */
  private String check(HostedAt h) {
    if (h.worker() < 0 || h.worker() >= serverOf.length) {
      return "worker " + h.worker() + " is not one of the " + serverOf.length + " workers of "
          + "this fit";
    }
    if (h.serverId() != serverOf[h.worker()]) {
      return "worker " + h.worker() + " says it hosts server " + h.serverId() + ", but it hosts "
          + serverOf[h.worker()] + " (-1: none)";
    }
    if (h.run() < newest) {
      return "run " + describe(h.run()) + " of the training stage was superseded by "
          + describe(newest);
    }
    return null;
  }

  /** A run's first request: the older run's waiting workers are failed; its deadline set. */
  private Run begin(long key) {
    if (current != null && current.failure == null && !current.complete()) {
      fail(current, "run " + describe(newest) + " of the training stage was superseded by "
          + describe(key));
    }
    newest = key;
    current = new Run(servers, serverOf.length);
    transport.timer().schedule(() -> expire(key), endpoint.timeoutMs(), TimeUnit.MILLISECONDS);
    return current;
  }

  private synchronized void expire(long key) {
    Run run = current;
    if (key != newest || run.complete() || run.failure != null) {
      return;
    }
    String missing = IntStream.range(0, run.arrived.length).filter(w -> !run.arrived[w])
        .mapToObj(w -> serverOf[w] < 0 ? "worker " + w
            : "worker " + w + " (hosting server " + serverOf[w] + ")")
        .collect(Collectors.joining(", "));
    fail(run, "the address exchange of the training stage (" + describe(key) + ") did not hear "
        + "from " + missing + " within " + endpoint.timeoutMs() + " ms "
        + "(spark.ps.server.startTimeout); " + run.count + " of " + run.arrived.length
        + " workers came");
  }

  private static void fail(Run run, String why) {
    run.failure = why;
    for (int i = 0; i < run.peers.size(); i++) {
      run.peers.get(i).writeAndFlush(new Failure(run.requestIds.get(i), Failure.Kind.FATAL,
          why));
    }
    run.peers.clear();
    run.requestIds.clear();
  }

  private static void answer(long key, Run run) {
    int n = run.servers.length;
    int[] ids = new int[n];
    String[] hosts = new String[n];
    int[] ports = new int[n];
    for (int s = 0; s < n; s++) {
      ids[s] = s;
      hosts[s] = run.servers[s].getHostString();
      ports[s] = run.servers[s].getPort();
    }
    for (int i = 0; i < run.peers.size(); i++) {
      run.peers.get(i).writeAndFlush(new Routes(run.requestIds.get(i), key, ids, hosts, ports,
          new int[0], new int[0], new int[0], new int[0], ""));
    }
    run.peers.clear();
    run.requestIds.clear();
  }

  /**
   * The task's end: tells the driver at {@code driver} that {@code worker} of run {@code run}
   * hosts server {@code serverId} at {@code hosted} (null with serverId -1), and returns where
   * every hosted server listens, by server id, once every worker of the run has told. Blocks
   * at most the driver's wait plus {@code rpcTimeoutMs}.
   *
   * @throws PsException naming the workers that did not come, or why the driver refused
   */
  public static List<InetSocketAddress> exchange(Endpoint driver, long run, int worker,
      int serverId, InetSocketAddress hosted, Secret secret, int maxFrameBytes, boolean encrypt,
      long rpcTimeoutMs) {
    long waitMs = driver.timeoutMs() + rpcTimeoutMs;
    try (Transport transport = new Transport("ps-exchange-" + worker, secret, 1, maxFrameBytes,
        waitMs, encrypt)) {
      TransportClient client = PsClient.await(transport.connect(driver.address(), m -> { }),
          rpcTimeoutMs);
      Message answer = PsClient.await(client.request(id -> new HostedAt(id, run, worker,
          serverId, hosted == null ? "" : hosted.getHostString(),
          hosted == null ? 0 : hosted.getPort())), waitMs);
      client.close();
      Routes routes = (Routes) answer;
      InetSocketAddress[] byId = new InetSocketAddress[routes.serverIds().length];
      for (int i = 0; i < byId.length; i++) {
        byId[routes.serverIds()[i]] = new InetSocketAddress(routes.hosts()[i],
            routes.ports()[i]);
      }
      return List.of(byId);
    } catch (RuntimeException e) {
      throw new PsException("worker " + worker + " could not learn where the co-located servers "
          + "listen from the driver at " + driver.address().getHostString() + ":"
          + driver.address().getPort() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (listening != null) {
      listening.close().syncUninterruptibly();
      transport.close();
    }
  }
}
