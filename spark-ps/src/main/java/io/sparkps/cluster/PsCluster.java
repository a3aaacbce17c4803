package io.sparkps.cluster;

import io.netty.channel.Channel;
import io.sparkps.client.ClusterInfo;
import io.sparkps.client.ParamLayout;
import io.sparkps.client.PsClient;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.CreateSlice;
import io.sparkps.config.PsConf;
import io.sparkps.config.PsException;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running set of parameter server processes and the coordinator that watches them, owned by
 * the driver. Long-lived: several trainings reuse it; {@link #close()} (or the driver's exit)
 * stops every server.
 *
 * <pre>{@code
 * try (PsCluster cluster = PsCluster.start(PsConf.defaults(), 2, "127.0.0.1")) {
 *   ClusterInfo info = cluster.info();   // hand this to workers
 * }
 * }</pre>
 */
public final class PsCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PsCluster.class);

  private final Transport transport;
  private final Channel coordinatorChannel;
  private final Coordinator coordinator;
  private final ServerStarter starter;
  private final Map<Integer, ServerStarter.Started> started = new ConcurrentHashMap<>();
  private final ClusterInfo info;
  /** Servers the cluster keeps running: lost ones are replaced up to it. */
  private volatile int numServers;
  private final int replication;
  /** Held by one resize at a time; never while waiting for the coordinator's thread. */
  private final Object resizing = new Object();
  private final java.nio.file.Path secretDir;
  private final String joinCommand;
  private final long startTimeoutMs;
  private final AtomicInteger nextParamId = new AtomicInteger(1);
  private final Thread shutdownHook;
  private final ServerStarter.Spec spec;
  private PsClient client;
  private boolean closed;

  /**
   * Where the coordinator listens ({@code coordinatorBind}) and the address servers and
   * workers reach it by ({@code coordinatorHost}), and what starts the servers.
   */
  public record Placement(String coordinatorHost, String coordinatorBind,
      ServerStarter servers) {
    /** Coordinator and servers on this host, at {@code host}. */
    public static Placement local(String host) {
      return new Placement(host, host, new LocalServers(host, host));
    }
  }

  private PsCluster(Transport transport, Channel coordinatorChannel, Coordinator coordinator,
      ServerStarter starter, ClusterInfo info, int numServers, int replication,
      ServerStarter.Spec spec, java.nio.file.Path secretDir, String joinCommand,
      long startTimeoutMs) {
    this.startTimeoutMs = startTimeoutMs;
    this.replication = replication;
    this.transport = transport;
    this.coordinatorChannel = coordinatorChannel;
    this.coordinator = coordinator;
    this.starter = starter;
    this.info = info;
    this.numServers = numServers;
    this.spec = spec;
    this.secretDir = secretDir;
    this.joinCommand = joinCommand;
    this.shutdownHook = new Thread(this::close, "ps-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code numServers} server JVMs on this host, bound to {@code host}, and waits until
   * all have registered (up to spark.ps.server.startTimeout). Every slice copy gets {@code
   * spark.ps.replication} backups on other servers (as far as there are other servers); a lost
   * server is failed over to them and replaced.
   */
  public static PsCluster start(PsConf conf, int numServers, String host) {
    return start(conf, numServers, host, conf.replication(numServers, 1));
  }

  /** Like {@link #start(PsConf, int, String)}, with {@code replication} backups per slice. */
  public static PsCluster start(PsConf conf, int numServers, String host, int replication) {
    return start(conf, numServers, Placement.local(host), replication, null);
  }

  /**
   * Starts {@code numServers} servers where {@code placement} says, with {@code replication}
   * backups per slice copy, and waits until all have registered (up to
   * spark.ps.server.startTimeout). The servers write and read checkpoints with the Hadoop
   * configuration {@code hadoopConf} ({@code Configuration.write}'s bytes; null: Hadoop's
   * defaults). The cluster owns {@code placement.servers()} and closes it.
   */
  public static PsCluster start(PsConf conf, int numServers, Placement placement,
      int replication, byte[] hadoopConf) {
    Secret secret = Secret.generate(new SecureRandom());
    long timeoutMs = conf.get(PsConf.RPC_TIMEOUT).toMillis();
    int maxFrame = conf.get(PsConf.TRANSPORT_MAX_FRAME_BYTES);
    Transport transport = new Transport("ps-coordinator", secret,
        conf.get(PsConf.TRANSPORT_IO_THREADS), maxFrame, timeoutMs, conf.cryptoEnabled());
    Coordinator coordinator = new Coordinator(transport, numServers,
        replication, conf.get(PsConf.SERVER_FAILURE_TIMEOUT).toMillis(),
        timeoutMs);
    ServerStarter starter = placement.servers();
    starter.onStoppedOutside(coordinator::shutdownAll);
    List<ServerStarter.Started> first = new ArrayList<>();
    java.nio.file.Path secretDir = null;
    try {
      Channel channel = transport.listen(placement.coordinatorBind(),
          conf.get(PsConf.COORDINATOR_PORT), coordinator);
      int coordPort = ((InetSocketAddress) channel.localAddress()).getPort();
      List<String> javaOptions = Arrays.stream(conf.get(PsConf.SERVER_JAVA_OPTIONS).trim()
          .split("\\s+")).filter(s -> !s.isEmpty()).toList();
      List<String> shared = List.of(
          "--coordinator", placement.coordinatorHost() + ":" + coordPort,
          "--lease-ms", Long.toString(conf.get(PsConf.LEASE).toMillis()),
          "--heartbeat-ms", Long.toString(conf.get(PsConf.HEARTBEAT_INTERVAL).toMillis()),
          "--timeout-ms", Long.toString(timeoutMs),
          "--max-frame-bytes", Integer.toString(maxFrame),
          "--io-threads", Integer.toString(conf.get(PsConf.TRANSPORT_IO_THREADS)),
          "--crypto-enabled", Boolean.toString(conf.cryptoEnabled()));
      ServerStarter.Spec spec = new ServerStarter.Spec(shared, conf.get(PsConf.SERVER_MEMORY),
          javaOptions, secret.toHex(), hadoopConf);
      int firstPort = conf.get(PsConf.SERVER_PORT);
      for (int i = 0; i < numServers; i++) {
        int id = i;
        ServerStarter.Started s = starter.start(id, firstPort == 0 ? 0 : firstPort + id, spec);
        first.add(s);
        coordinator.launched(id, s.exit());
      }
      awaitRegistrations(coordinator, first, starter,
          conf.get(PsConf.SERVER_START_TIMEOUT).toMillis());
      ClusterInfo info = new ClusterInfo(List.of(), secret.toHex(), timeoutMs, maxFrame,
          new InetSocketAddress(placement.coordinatorHost(), coordPort), conf.cryptoEnabled());
      LOG.info("Started {} parameter servers: {} (logs in {})", numServers, coordinator.live(),
          starter.logs());
      secretDir = SecretFile.write(secret);
      String join = "bin/ps-server " + String.join(" ", shared) + " --secret-file "
          + SecretFile.in(secretDir) + " --host " + placement.coordinatorHost();
      LOG.info("To add a parameter server to this cluster while it runs, run on the new host "
          + "(with a copy of {} that only its user can read, and --host set to that host's "
          + "address):\n  {}", SecretFile.in(secretDir), join);
      PsCluster cluster = new PsCluster(transport, channel, coordinator, starter, info,
          numServers, replication, spec, secretDir, join,
          conf.get(PsConf.SERVER_START_TIMEOUT).toMillis());
      first.forEach(s -> cluster.started.put(s.id(), s));
      coordinator.onLoss(cluster::startReplacement);
      coordinator.onJoin(cluster::joined);
      return cluster;
    } catch (IOException | RuntimeException | InterruptedException e) {
      SecretFile.delete(secretDir);
      coordinator.shutdownAll();
      starter.close();
      coordinator.close();
      transport.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (e instanceof PsException p) {
        throw p;
      }
      throw new PsException("could not start the parameter servers: " + e, e);
    }
  }

  /** Starts a server in place of a lost one (if the cluster is short); it joins when it registers. */
  private synchronized void startReplacement() {
    if (closed || coordinator.serving().size() + replacementsRunning() >= numServers) {
      return;
    }
    int id = coordinator.newServerId();
    try {
      ServerStarter.Started s = starter.start(id, 0, spec);
      started.put(id, s);
      coordinator.launched(id, s.exit());
      LOG.info("Started parameter server {} to replace a lost one ({})", id, s.where());
    } catch (IOException | RuntimeException e) {
      LOG.error("Could not start a replacement parameter server", e);
    }
  }

  private static void awaitRegistrations(Coordinator coordinator,
      List<ServerStarter.Started> servers, ServerStarter starter, long timeoutMs)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!coordinator.awaitRegistrations(100)) {
      for (ServerStarter.Started s : servers) {
        if (s.exit().isDone() && coordinator.address(s.id()) == null) {
          throw new PsException("parameter server " + s.id() + " (" + s.where() + ") "
              + Coordinator.howEnded(s.exit()) + " before registering; its log ends with:\n"
              + starter.tail(s.id(), 20));
        }
      }
      if (System.currentTimeMillis() > deadline) {
        int missing = servers.stream().filter(s -> coordinator.address(s.id()) == null)
            .findFirst().map(ServerStarter.Started::id).orElse(0);
        throw new PsException("only " + coordinator.registered() + " of " + servers.size()
            + " parameter servers registered within " + timeoutMs
            + " ms (spark.ps.server.startTimeout); server " + missing + " ("
            + servers.get(missing).where() + ") did not; its log ends with:\n"
            + starter.tail(missing, 20));
      }
    }
  }

  /** The coordinator's address, secret and limits, for workers. */
  public ClusterInfo info() {
    return info;
  }

  /** Servers the cluster keeps running (lost ones are replaced). */
  public int numServers() {
    return numServers;
  }

  /** Backups per slice copy, as far as there are other servers. */
  public int replication() {
    return replication;
  }

  /** The driver's own connections to the servers, opened on first use. */
  public synchronized PsClient client() {
    if (closed) {
      throw new PsException("the parameter server cluster has been stopped");
    }
    if (client == null) {
      client = PsClient.connect(info);
    }
    return client;
  }

  /** Reserves {@code count} consecutive param ids, so that trainings never share a param. */
  public int reserveParamIds(int count) {
    return nextParamId.getAndAdd(count);
  }

  /**
   * Creates every copy of a model's params: copy {@code i} of server group {@code g} on the
   * live server the slicer's index {@code g * nServersPerGroup + k} names, with its backups.
   * Blocks until all are in place.
   */
  public void createParams(ParamLayout layout, ParamLayout.InitialValues initial,
      OptimizerConfig optimizer) {
    List<Integer> live = liveIds(layout.totalServers());
    List<Coordinator.NewCopy> copies = new ArrayList<>();
    layout.forEachCopy((slice, setup) -> copies.add(newCopy(live, slice, setup, optimizer,
        initial, layout.serverGroups() > 1)), slot -> coordinator.address(live.get(slot)));
    coordinator.create(copies);
  }

  /**
   * Creates every copy of a model's params as {@link #createParams} does, with the state each
   * slice had in a checkpoint: the servers read values, optimizer state, version and every
   * worker group's next step from the file {@code fileOf} names. Blocks until all are in place.
   *
   * @throws PsException naming the slice and file that could not be loaded, and why
   */
  public void restoreParams(ParamLayout layout, java.util.function.Function<SliceInfo, String>
      fileOf, OptimizerConfig optimizer) {
    List<Integer> live = liveIds(layout.totalServers());
    List<Coordinator.NewCopy> copies = new ArrayList<>();
    layout.forEachCopy((slice, setup) -> copies.add(new Coordinator.NewCopy(
        new SliceDirectory.Copy(slice.paramId(), slice.sliceId(), slice.server()),
        live.get(slice.server()), id -> new io.sparkps.transport.LoadSlice(id, slice.paramId(),
            slice.sliceId(), optimizer, setup, slice.length(), fileOf.apply(slice)),
        slice.length(), layout.serverGroups() > 1)), slot -> coordinator.address(
            live.get(slot)));
    coordinator.create(copies);
  }

  /**
   * Creates {@code slices}, each on the live server its index ({@link SliceInfo#server()})
   * names, all with {@code setup}, and their backups. Blocks until all are in place.
   */
  public void createSlices(List<SliceInfo> slices, OptimizerConfig optimizer, SliceSetup setup,
      ParamLayout.InitialValues initial) {
    int needed = 1 + slices.stream().mapToInt(SliceInfo::server).max().orElse(0);
    List<Integer> live = liveIds(needed);
    List<Coordinator.NewCopy> copies = new ArrayList<>();
    for (SliceInfo s : slices) {
      copies.add(newCopy(live, s, setup, optimizer, initial, !setup.master().isEmpty()));
    }
    coordinator.create(copies);
  }

  private List<Integer> liveIds(int needed) {
    List<Integer> live = new ArrayList<>(coordinator.serving().keySet());
    if (live.size() < needed) {
      throw new PsException("the slices need " + needed + " servers, " + live.size()
          + " are live: " + coordinator.serving());
    }
    return live;
  }

  private static Coordinator.NewCopy newCopy(List<Integer> live, SliceInfo slice,
      SliceSetup setup, OptimizerConfig optimizer, ParamLayout.InitialValues initial,
      boolean pinned) {
    float[] values = initial.of(slice);
    return new Coordinator.NewCopy(
        new SliceDirectory.Copy(slice.paramId(), slice.sliceId(), slice.server()),
        live.get(slice.server()), id -> new CreateSlice(id, slice.paramId(), slice.sliceId(),
            optimizer, setup, values), slice.length(), pinned);
  }

  /** Frees every copy of the params {@code first .. first + count - 1}. */
  public void dropParams(int firstParamId, int count) {
    for (int p = firstParamId; p < firstParamId + count; p++) {
      coordinator.drop(p);
    }
  }

  /**
   * Calls {@code listener} with what happened whenever a slice loses its last copy, until the
   * returned handle is run.
   */
  public Runnable onDataLoss(java.util.function.Consumer<String> listener) {
    return coordinator.onDataLoss(listener);
  }

  /**
   * The server serving {@code slice} (by the server index the slicer gave it) now, -1 if every
   * copy is lost.
   *
   * @throws IllegalArgumentException if the slice map does not have it
   */
  public int primaryOf(SliceInfo slice) {
    return coordinator.primaryOf(new SliceDirectory.Copy(slice.paramId(), slice.sliceId(),
        slice.server()));
  }

  /**
   * The servers holding {@code slice} (by the server index the slicer gave it) now: its
   * primary first, then its backups; empty if the slice map does not have it.
   */
  public List<Integer> holdersOf(SliceInfo slice) {
    return coordinator.holders(new SliceDirectory.Copy(slice.paramId(), slice.sliceId(),
        slice.server()));
  }

  /** A server an operator started joined: the cluster keeps one more server. */
  private synchronized void joined(int id) {
    numServers++;
  }

  /**
   * Starts {@code count} more servers, waits until they have registered (up to
   * spark.ps.server.startTimeout), and moves slice copies to them until every server holds
   * about the same bytes (within one slice). Training goes on meanwhile: a slice is not served
   * only while its primary switches, once. Returns the moves made.
   *
   * @throws PsException if a server did not start, or a move failed (the slice then stays
   *     where it was, served)
   */
  public List<SliceMove> addServers(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    synchronized (resizing) {
      List<ServerStarter.Started> added = new ArrayList<>();
      synchronized (this) {
        if (closed) {
          throw new PsException("the parameter server cluster has been stopped");
        }
        numServers += count;
        try {
          for (int i = 0; i < count; i++) {
            int id = coordinator.newServerId();
            ServerStarter.Started s = starter.start(id, 0, spec);
            started.put(id, s);
            coordinator.launched(id, s.exit());
            added.add(s);
          }
        } catch (IOException e) {
          numServers -= count - added.size();
          throw new PsException("could not start a parameter server: " + e, e);
        }
      }
      awaitJoined(added);
      LOG.info("Added parameter servers {}; moving slices to them", added.stream()
          .map(ServerStarter.Started::id).toList());
      return await(coordinator.rebalance("join"));
    }
  }

  /**
   * Moves every slice copy of server {@code serverId} to the other servers, then stops it; it
   * is not replaced. Returns the moves made.
   *
   * @throws PsException if it is not a live server or the last one, or a move failed (the
   *     server then keeps serving what it still holds)
   */
  public List<SliceMove> removeServer(int serverId) {
    synchronized (resizing) {
      synchronized (this) {
        if (closed) {
          throw new PsException("the parameter server cluster has been stopped");
        }
      }
      CompletableFuture<List<SliceMove>> moved = coordinator.remove(serverId);
      synchronized (this) {
        numServers--;
      }
      try {
        return await(moved);
      } catch (PsException e) {
        synchronized (this) {
          numServers++;
        }
        throw e;
      }
    }
  }

  /**
   * Grows or shrinks the cluster to {@code servers} servers while it runs: new servers receive
   * slices; the newest servers hand theirs over and stop. Returns the moves made.
   */
  public List<SliceMove> resize(int servers) {
    if (servers < 1) {
      throw new IllegalArgumentException("servers must be >= 1, got " + servers);
    }
    synchronized (resizing) {
      List<Integer> serving = new ArrayList<>(coordinator.serving().keySet());
      if (servers > serving.size()) {
        return addServers(servers - serving.size());
      }
      List<SliceMove> made = new ArrayList<>();
      for (int i = serving.size() - 1; i >= servers; i--) {
        made.addAll(removeServer(serving.get(i)));
      }
      return made;
    }
  }

  /** Moves slice copies until every server holds about the same bytes; returns the moves. */
  public List<SliceMove> rebalance() {
    synchronized (resizing) {
      return await(coordinator.rebalance("balance"));
    }
  }

  /**
   * Updates applied so far to the newest param's first slice (for one synchronous group, its
   * steps; for asynchronous workers, their steps together); 0 when the cluster holds no param.
   */
  public long stepsApplied() {
    SliceDirectory.Copy newest = coordinator.newestCopy();
    if (newest == null) {
      return 0;
    }
    SliceInfo slice = new SliceInfo(0, newest.paramId(), newest.sliceId(), 0, 0, newest.slot());
    return PsClient.await(client().stats(slice), info.timeoutMs()).version();
  }

  /** Slice copies moved since the cluster started, in order. */
  public List<SliceMove> moves() {
    return coordinator.moves();
  }

  /** Bytes each live server holds (primaries and backups), by server id. */
  public Map<Integer, Long> bytesHeld() {
    return coordinator.bytesHeld();
  }

  /** Live servers, not counting those being removed. */
  public int liveServers() {
    return coordinator.serving().size();
  }

  /**
   * The command that adds a server to this cluster from another host: {@code bin/ps-server}
   * with the coordinator's address and the file holding the secret, readable by this user only.
   */
  public String joinCommand() {
    return joinCommand;
  }

  private static List<SliceMove> await(CompletableFuture<List<SliceMove>> moves) {
    try {
      return moves.get();
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof PsException p ? p : new PsException(cause.toString(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PsException("interrupted while moving slices", e);
    }
  }

  /** Waits until the servers {@code added} have registered (spark.ps.server.startTimeout). */
  private void awaitJoined(List<ServerStarter.Started> added) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMs);
    for (ServerStarter.Started s : added) {
      while (coordinator.address(s.id()) == null) {
        if (s.exit().isDone()) {
          throw new PsException("parameter server " + s.id() + " (" + s.where() + ") "
              + Coordinator.howEnded(s.exit()) + " before registering; its log ends with:\n"
              + starter.tail(s.id(), 20));
        }
        if (System.nanoTime() - deadline > 0) {
          throw new PsException("parameter server " + s.id() + " (" + s.where() + ") did not "
              + "register within " + startTimeoutMs + " ms (spark.ps.server.startTimeout); its "
              + "log ends with:\n" + starter.tail(s.id(), 20));
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new PsException("interrupted while starting parameter servers", e);
        }
      }
    }
  }

  /** The address server {@code serverId} advertised; null if it never registered. */
  public InetSocketAddress addressOf(int serverId) {
    return coordinator.address(serverId);
  }

  /** Servers lost since the cluster started, in order. */
  public List<ServerFailure> failures() {
    return coordinator.failures();
  }

  /** Process ids of the live server JVMs (each on its own host), by server id. */
  public Map<Integer, Long> livePids() {
    Map<Integer, Long> out = new java.util.TreeMap<>();
    for (int id : coordinator.live().keySet()) {
      ServerStarter.Started s = started.get(id);
      long pid = coordinator.pid(id);
      if (s != null && !s.exit().isDone() && pid > 0) {
        out.put(id, pid);
      }
    }
    return out;
  }

  /** Process ids of the server JVMs that registered since the cluster started, live or not. */
  public List<Long> serverPids() {
    return coordinator.pids();
  }

  /** The distinct hosts the servers advertised, in the order they first registered. */
  public List<String> serverHosts() {
    return coordinator.hosts();
  }

  /** True while the cluster runs with all its servers live. */
  public boolean isHealthy() {
    return !closed && coordinator.serving().size() >= numServers;
  }

  /**
   * Waits up to {@code timeoutMs} for replacements of lost servers to join; true if the
   * cluster then has all its servers.
   */
  public boolean awaitHealthy(long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!isHealthy()) {
      if (closed || System.nanoTime() - deadline > 0
          || (replacementsRunning() == 0 && coordinator.replacementsStarting() == 0)) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Started replacement servers that have not registered yet. */
  private long replacementsRunning() {
    return started.values().stream().filter(s -> !s.exit().isDone()
        && coordinator.address(s.id()) == null).count();
  }

  /** Stops every server (asking first, then forcibly after a grace period) and the coordinator. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: this is the hook.
    }
    if (client != null) {
      client.close();
    }
    coordinator.shutdownAll();
    starter.close();
    coordinator.close();
    coordinatorChannel.close();
    transport.close();
    SecretFile.delete(secretDir);
    LOG.info("Stopped {} parameter servers", started.size());
  }
}
