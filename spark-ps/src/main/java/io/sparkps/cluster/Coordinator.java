package io.sparkps.cluster;

import io.netty.channel.Channel;
import io.sparkps.client.PsClient;
import io.sparkps.cluster.SliceDirectory.Copy;
import io.sparkps.cluster.SliceDirectory.Placement;
import io.sparkps.config.PsException;
import io.sparkps.transport.Ack;
import io.sparkps.transport.DropParam;
import io.sparkps.transport.Failure;
import io.sparkps.transport.Heartbeat;
import io.sparkps.transport.Message;
import io.sparkps.transport.Register;
import io.sparkps.transport.RequestHandler;
import io.sparkps.transport.Routes;
import io.sparkps.transport.RoutesRequest;
import io.sparkps.transport.SetRole;
import io.sparkps.transport.Shutdown;
import io.sparkps.transport.Transport;
import io.sparkps.transport.TransportClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of the cluster, and the one owner of its state: which servers are live
 * (from their heartbeats and, for servers this driver launched, their processes) and the slice
 * map ({@link SliceDirectory}). Everything that changes the map — creating params, failing over
 * a lost server, restoring the replication factor — runs on one thread, one change at a time.
 *
 * <p>A server is lost when its process exits, when its connection is gone and it has not sent
 * a heartbeat for the failure timeout, or, if every slice it serves has a backup to take over,
 * when it has been silent for the failure timeout (it may be paused: it is then fenced when it
 * comes back, and drops what it held). The backups of its slices become their primaries in a
 * new epoch; once they have taken the role, clients get the new map, and new backups are made
 * on the other live servers; a replacement server is started.
 */
final class Coordinator implements RequestHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  /** One server, as the coordinator knows it. */
  private static final class Member {
    final int id;
    volatile InetSocketAddress address;
    volatile Channel link;
    volatile long lastHeardNanos = System.nanoTime();
    volatile CompletableFuture<Integer> exit;
    volatile long pid;
    volatile boolean dead;
    /** Being emptied before it stops (removed from the cluster): receives no new copies. */
    volatile boolean leaving;
    /** Joined by an operator, not started by the driver: its slices come from a rebalance. */
    volatile boolean joinedFromOutside;

    Member(int id) {
      this.id = id;
    }

    String describe() {
      return "parameter server " + id + " (" + (address == null ? "not registered"
          : address.getHostString() + ":" + address.getPort())
          + (pid <= 0 ? "" : ", pid " + pid) + ")";
    }
  }

  private record Parked(Channel peer, long requestId, long knownEpoch, long deadlineNanos) {}

  private final Transport transport;
  private final long failureTimeoutMs;
  private final long rpcTimeoutMs;
  private final int replication;
  private final Map<Integer, Member> members = new ConcurrentHashMap<>();
  private final SliceDirectory directory = new SliceDirectory();
  private final ScheduledExecutorService loop;
  private final Map<Integer, CompletableFuture<TransportClient>> links =
      new ConcurrentHashMap<>();
  private final Set<Channel> subscribers = ConcurrentHashMap.newKeySet();
  private final List<Parked> parked = new ArrayList<>();
  private final List<ServerFailure> failures = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> lossListeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch allRegistered;
  private final Set<String> hosts = java.util.Collections.synchronizedSet(
      new java.util.LinkedHashSet<>());
  private volatile Runnable replace = () -> { };
  private volatile java.util.function.IntConsumer onJoin = id -> { };
  private volatile boolean stopping;
  private final java.util.concurrent.atomic.AtomicInteger nextId;
  private final List<SliceMove> moves = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger replacementsStarting =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * @param transport opens the coordinator's connections to servers
   * @param expectedServers servers the first registrations wait for
   * @param replication backups per slice copy
   */
  Coordinator(Transport transport, int expectedServers, int replication, long failureTimeoutMs,
      long rpcTimeoutMs) {
    this.transport = transport;
    this.allRegistered = new CountDownLatch(expectedServers);
    this.nextId = new java.util.concurrent.atomic.AtomicInteger(expectedServers);
    this.replication = replication;
    this.failureTimeoutMs = failureTimeoutMs;
    this.rpcTimeoutMs = rpcTimeoutMs;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ps-coordinator");
      t.setDaemon(true);
      return t;
    });
    long tick = Math.max(10, Math.min(100, failureTimeoutMs / 4));
    loop.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** Starts a replacement server when one is lost; it registers as any server does. */
  void onLoss(Runnable replaceServer) {
    this.replace = replaceServer;
  }

  /** Told the id of every server an operator started that joined the cluster. */
  void onJoin(java.util.function.IntConsumer joined) {
    this.onJoin = joined;
  }

  /** Failed servers whose replacement is being started right now. */
  int replacementsStarting() {
    return replacementsStarting.get();
  }

  /** A server id never used in this cluster, for a server about to be started. */
  int newServerId() {
    return nextId.getAndIncrement();
  }

  /** Told, with what happened, whenever a slice loses its last copy; runs to stop. */
  Runnable onDataLoss(Consumer<String> listener) {
    lossListeners.add(listener);
    return () -> lossListeners.remove(listener);
  }

  /**
   * A server a {@link ServerStarter} started: its end ({@code exit} completes with its exit
   * status, or exceptionally when it ended without one) is noticed at once.
   */
  void launched(int id, CompletableFuture<Integer> exit) {
    Member m = members.computeIfAbsent(id, Member::new);
    m.exit = exit;
    exit.whenComplete((status, e) -> {
      if (!loop.isShutdown()) {
        loop.execute(this::check);
      }
    });
  }

  /** How a server that ended did, from its exit future: its status and what it means. */
  static String howEnded(CompletableFuture<Integer> exit) {
    try {
      int status = exit.getNow(null);
      return "exited with status " + status + exitMeaning(status);
    } catch (java.util.concurrent.CompletionException | java.util.concurrent
        .CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return "ended: " + cause.getMessage();
    }
  }

  @Override
  public void handle(Channel peer, Message message) {
    if (message instanceof Register r && r.serverId() < 0) {
      join(peer, r);
    } else if (message instanceof Register r) {
      Member m = members.computeIfAbsent(r.serverId(), Member::new);
      if (m.dead) {
        peer.writeAndFlush(fenced(r.requestId(), m));
        return;
      }
      boolean first = m.address == null;
      m.address = new InetSocketAddress(r.host(), r.port());
      m.pid = r.pid();
      if (first) {
        hosts.add(r.host());
      }
      m.link = peer;
      m.lastHeardNanos = System.nanoTime();
      peer.writeAndFlush(new Ack(r.requestId()));
      if (stopping) {
        // Started as a replacement while the cluster was being stopped.
        peer.writeAndFlush(new Shutdown());
        return;
      }
      if (first) {
        LOG.info("Server {} registered at {}", r.serverId(), m.address);
        if (allRegistered.getCount() == 0) {
          loop.execute(this::joined);
        }
        allRegistered.countDown();
      }
    } else if (message instanceof Heartbeat h) {
      Member m = members.get(h.serverId());
      if (m != null && m.dead) {
        peer.writeAndFlush(fenced(h.requestId(), m));
        return;
      }
      if (m != null) {
        m.lastHeardNanos = System.nanoTime();
        m.link = peer;
      }
      peer.writeAndFlush(new Ack(h.requestId()));
    } else if (message instanceof RoutesRequest r) {
      subscribers.add(peer);
      Routes now = directory.published();
      if (now.epoch() > r.knownEpoch()) {
        peer.writeAndFlush(withId(now, r.requestId()));
      } else {
        synchronized (parked) {
          parked.add(new Parked(peer, r.requestId(), r.knownEpoch(), System.nanoTime()
              + TimeUnit.MILLISECONDS.toNanos(Math.min(1000, failureTimeoutMs))));
        }
      }
    } else {
      throw new IllegalArgumentException("the coordinator does not take " + message.type());
    }
  }

  /**
   * A server an operator started registers without an id: it gets one, and, once the first
   * servers are in, a share of the slices.
   */
  private void join(Channel peer, Register r) {
    if (stopping || allRegistered.getCount() > 0) {
      peer.writeAndFlush(new Failure(r.requestId(), Failure.Kind.FATAL, stopping
          ? "the cluster is stopping" : "the cluster is still starting; join once it runs"));
      return;
    }
    int id = newServerId();
    Member m = members.computeIfAbsent(id, Member::new);
    m.joinedFromOutside = true;
    m.address = new InetSocketAddress(r.host(), r.port());
    m.pid = r.pid();
    m.link = peer;
    m.lastHeardNanos = System.nanoTime();
    hosts.add(r.host());
    peer.writeAndFlush(new io.sparkps.transport.Joined(r.requestId(), id));
    LOG.info("Server {} joined from {} (pid {} there)", id, m.address, r.pid());
    onJoin.accept(id);
    loop.execute(() -> {
      replenish();
      rebalance("join");
    });
  }

  private static Failure fenced(long requestId, Member m) {
    return new Failure(requestId, Failure.Kind.NOT_PRIMARY, m.describe() + " was declared lost"
        + " and its slices moved to other servers: drop every slice");
  }

  private static Routes withId(Routes r, long requestId) {
    return new Routes(requestId, r.epoch(), r.serverIds(), r.hosts(), r.ports(), r.paramIds(),
        r.sliceIds(), r.slots(), r.primaries(), r.lost());
  }

  @Override
  public void disconnected(Channel peer) {
    subscribers.remove(peer);
    for (Member m : members.values()) {
      if (m.link == peer) {
        m.link = null;
        if (stopping) {
          LOG.info("Server {} disconnected after being told to stop", m.id);
        } else if (!m.dead) {
          LOG.warn("Lost the connection of server {}", m.id);
          loop.execute(this::check);
        }
      }
    }
  }

  boolean awaitRegistrations(long timeoutMs) throws InterruptedException {
    return allRegistered.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  int registered() {
    return (int) members.values().stream().filter(m -> m.address != null).count();
  }

  /** Process id of a registered server on its host; 0 if it has not registered. */
  long pid(int serverId) {
    Member m = members.get(serverId);
    return m == null ? 0 : m.pid;
  }

  /** Process ids of every server that registered, live or not. */
  List<Long> pids() {
    return members.values().stream().filter(m -> m.pid > 0).sorted(
        Comparator.comparingInt(m -> m.id)).map(m -> m.pid).toList();
  }

  /** The distinct hosts servers advertised, in the order they first registered. */
  List<String> hosts() {
    synchronized (hosts) {
      return List.copyOf(hosts);
    }
  }

  InetSocketAddress address(int serverId) {
    Member m = members.get(serverId);
    return m == null ? null : m.address;
  }

  /** Registered servers not lost, by id. */
  Map<Integer, InetSocketAddress> live() {
    Map<Integer, InetSocketAddress> out = new TreeMap<>();
    for (Member m : members.values()) {
      if (!m.dead && m.address != null) {
        out.put(m.id, m.address);
      }
    }
    return out;
  }

  /** Live servers that are not leaving: where new copies go. */
  Map<Integer, InetSocketAddress> serving() {
    Map<Integer, InetSocketAddress> out = live();
    out.keySet().removeIf(id -> members.get(id).leaving);
    return out;
  }

  /** Bytes each serving server holds, primaries and backups, by server id. */
  Map<Integer, Long> bytesHeld() {
    Map<Integer, Long> floats = Rebalancer.load(directory.snapshot(), serving().keySet(), false);
    Map<Integer, Long> out = new TreeMap<>();
    floats.forEach((id, f) -> out.put(id, f * Float.BYTES));
    return out;
  }

  /** The first slice copy of the param created last; null when there is none. */
  Copy newestCopy() {
    return directory.snapshot().keySet().stream().max(Comparator.comparingInt(Copy::paramId)
        .thenComparing(Comparator.comparingInt(Copy::sliceId).reversed())
        .thenComparing(Comparator.comparingInt(Copy::slot).reversed())).orElse(null);
  }

  /** The slice copies moved since the cluster started, in order. */
  List<SliceMove> moves() {
    return List.copyOf(moves);
  }

  int primaryOf(Copy copy) {
    Placement p = directory.get(copy);
    if (p == null) {
      throw new IllegalArgumentException("the slice map has no " + copy);
    }
    return p.primary();
  }

  /** The servers holding a copy: its primary first, then its backups; empty if unknown. */
  List<Integer> holders(Copy copy) {
    Placement p = directory.get(copy);
    if (p == null) {
      return List.of();
    }
    List<Integer> out = new ArrayList<>();
    out.add(p.primary());
    out.addAll(p.backups());
    return out;
  }

  List<ServerFailure> failures() {
    return List.copyOf(failures);
  }

  /** Backups per copy for a new param: the setting, as far as there are other servers. */
  int replicationFor(int liveServers) {
    return Math.min(replication, liveServers - 1);
  }

  /** Runs {@code work} on the coordinator's thread, after any change under way; waits. */
  <T> T onLoop(Callable<T> work) {
    try {
      return loop.submit(work).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new PsException(e.getCause().toString(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PsException("interrupted while the coordinator was busy", e);
    }
  }

  /**
   * A new copy: what creates it on its primary (CREATE_SLICE, or LOAD_SLICE from a checkpoint)
   * given a request id, and its size.
   */
  record NewCopy(Copy copy, int primary, java.util.function.LongFunction<Message> create,
      long floats, boolean pinned) {}

  /**
   * Creates copies on their primaries, gives each its backups (least-loaded other servers,
   * on another host first), and publishes the map. Runs on the coordinator's thread.
   */
  void create(List<NewCopy> copies) {
    onLoop(() -> {
      List<CompletableFuture<Message>> created = new ArrayList<>();
      for (NewCopy c : copies) {
        created.add(link(c.primary()).thenCompose(l -> l.request(c.create())));
      }
      awaitAll(created, "creating slices");
      long epoch = directory.nextEpoch();
      int r = replicationFor(serving().size());
      List<CompletableFuture<Message>> roles = new ArrayList<>();
      for (NewCopy c : copies) {
        List<Integer> backups = chooseBackups(c.primary(), List.of(), r, c.floats());
        directory.put(c.copy(), new Placement(c.primary(), backups, c.floats(), c.pinned()));
        if (!backups.isEmpty()) {
          roles.add(setRole(c.copy(), epoch, c.primary(), backups));
        }
      }
      awaitAll(roles, "copying slices to their backups");
      publish();
      return null;
    });
  }

  /** Drops a param on every live server and from the map. */
  void drop(int paramId) {
    onLoop(() -> {
      List<CompletableFuture<Message>> acks = new ArrayList<>();
      for (int id : live().keySet()) {
        acks.add(link(id).thenCompose(l -> l.request(r -> new DropParam(r, paramId))));
      }
      directory.dropParam(paramId);
      directory.nextEpoch();
      publish();
      awaitAll(acks, "dropping param " + paramId);
      return null;
    });
  }

  private CompletableFuture<Message> setRole(Copy c, long epoch, int primary,
      List<Integer> backups) {
    String b = SliceDirectory.describe(backups, this::address);
    return link(primary).thenCompose(link -> link.request(id -> new SetRole(id, c.paramId(),
        c.sliceId(), epoch, true, b)));
  }

  /**
   * A role of a planned move: acknowledged once every step the server forwarded so far was
   * answered, as a follower it leaves out is told to drop its copy next.
   */
  private CompletableFuture<Message> moveRole(Copy c, long epoch, int server, boolean primary,
      boolean synced, List<Integer> backups, List<Integer> learners) {
    String b = SliceDirectory.describe(backups, this::address);
    String l = SliceDirectory.describe(learners, this::address);
    return link(server).thenCompose(link -> link.request(id -> new SetRole(id, c.paramId(),
        c.sliceId(), epoch, primary, synced, true, b, l)));
  }

  /**
   * Up to {@code count} servers for a copy's backups, besides {@code primary} and {@code
   * taken}: on another host than the primary first, then the least loaded.
   */
  private List<Integer> chooseBackups(int primary, List<Integer> taken, int count, long floats) {
    Map<Integer, InetSocketAddress> live = serving();
    Map<Integer, Long> load = directory.load();
    String primaryHost = live.containsKey(primary) ? live.get(primary).getHostString() : "";
    List<Integer> candidates = new ArrayList<>();
    for (int id : live.keySet()) {
      if (id != primary && !taken.contains(id)) {
        candidates.add(id);
      }
    }
    candidates.sort(Comparator.<Integer>comparingInt(id ->
            live.get(id).getHostString().equals(primaryHost) ? 1 : 0)
        .thenComparingLong(id -> load.getOrDefault(id, 0L))
        .thenComparingInt(id -> id));
    return new ArrayList<>(candidates.subList(0, Math.min(count, candidates.size())));
  }

  private CompletableFuture<TransportClient> link(int id) {
    return links.compute(id, (k, f) -> {
      if (f != null && (!f.isDone() || (!f.isCompletedExceptionally() && f.join().isActive()))) {
        return f;
      }
      InetSocketAddress a = address(id);
      if (a == null) {
        return CompletableFuture.failedFuture(new PsException("server " + id + " has not "
            + "registered"));
      }
      return transport.connect(a, m -> { });
    });
  }

  private void awaitAll(List<CompletableFuture<Message>> all, String what) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(rpcTimeoutMs);
    for (CompletableFuture<Message> f : all) {
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      try {
        PsClient.await(f, left);
      } catch (PsException e) {
        throw new PsException(what + " failed: " + e.getMessage(), e);
      }
    }
  }

  /** Finds lost servers. Runs on the coordinator's thread. */
  private void check() {
    if (stopping) {
      return;
    }
    try {
      expireParked();
      for (Member m : members.values()) {
        if (m.dead) {
          continue;
        }
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - m.lastHeardNanos);
        CompletableFuture<Integer> exit = m.exit;
        if (exit != null && exit.isDone()) {
          lost(m, howEnded(exit));
        } else if (m.address != null && m.link == null && silentMs > failureTimeoutMs) {
          lost(m, "lost its connection and sent no heartbeat for " + silentMs + " ms "
              + "(spark.ps.server.failureTimeout=" + failureTimeoutMs + "ms)");
        } else if (m.address != null && silentMs > failureTimeoutMs
            && directory.copiesOn(m.id) > 0 && directory.canTakeOver(m.id)) {
          lost(m, "sent no heartbeat for " + silentMs + " ms (spark.ps.server.failureTimeout="
              + failureTimeoutMs + "ms)");
        }
      }
    } catch (RuntimeException e) {
      LOG.error("The coordinator's failure check failed", e);
    }
  }

  private static String exitMeaning(int status) {
    return status > 128 ? " (killed by signal " + (status - 128) + (status == 137
        ? ", SIGKILL" : "") + ")" : "";
  }

  /** Fails a lost server over to its backups. Runs on the coordinator's thread. */
  private void lost(Member m, String reason) {
    long detected = System.nanoTime();
    m.dead = true;
    String what = m.describe();
    LOG.warn("Lost {}: {}", what, reason);
    SliceDirectory.Change change = directory.remove(m.id);
    List<CompletableFuture<Message>> roles = new ArrayList<>();
    List<Copy> changed = new ArrayList<>(change.promoted());
    changed.addAll(change.shrunk());
    for (Copy c : changed) {
      Placement p = directory.get(c);
      roles.add(setRole(c, change.epoch(), p.primary(), p.backups()));
    }
    long takenOver = -1;
    try {
      awaitAll(roles, "failing over " + what);
      takenOver = System.nanoTime();
    } catch (PsException e) {
      LOG.error("Failing over {} did not complete: {}", what, e.getMessage());
    }
    if (!change.lost().isEmpty()) {
      String why = what + " " + reason + "; it held " + change.lost() + " with no other copy,"
          + " so the training cannot go on: set spark.ps.replication >= 1 (with at least 2"
          + " servers) to keep a backup of every slice on another server";
      directory.lostBecause(why);
      lossListeners.forEach(l -> l.accept(why));
    }
    publish();
    boolean replacing = !stopping;
    if (replacing) {
      // Counted before the failure is seen: whoever sees it may wait for its replacement.
      replacementsStarting.incrementAndGet();
    }
    failures.add(new ServerFailure(m.id, what, reason, detected, takenOver,
        change.promoted().stream().map(Copy::toString).toList(),
        change.lost().stream().map(Copy::toString).toList()));
    LOG.info("{} failed over in {} ms: {} copies promoted, {} lost; map epoch {}", what,
        takenOver < 0 ? "-" : TimeUnit.NANOSECONDS.toMillis(takenOver - detected),
        change.promoted().size(), change.lost().size(), change.epoch());
    closeLink(m.id);
    if (replacing) {
      try {
        replace.run();
      } finally {
        replacementsStarting.decrementAndGet();
      }
    }
    replenish();
  }

  /** A server registered after the first ones (a replacement): give it backups to hold. */
  private void joined() {
    replenish();
  }

  /** Gives copies short of backups new ones, on the other live servers. */
  private void replenish() {
    List<Copy> short_ = directory.underReplicated(replicationFor(serving().size()));
    if (short_.isEmpty() || stopping) {
      return;
    }
    long epoch = directory.nextEpoch();
    List<CompletableFuture<Message>> roles = new ArrayList<>();
    List<Copy> changed = new ArrayList<>();
    List<Placement> next = new ArrayList<>();
    int want = replicationFor(serving().size());
    for (Copy c : short_) {
      Placement p = directory.get(c);
      List<Integer> add = chooseBackups(p.primary(), p.backups(), want - p.backups().size(),
          p.floats());
      if (add.isEmpty()) {
        continue;
      }
      List<Integer> backups = new ArrayList<>(p.backups());
      backups.addAll(add);
      changed.add(c);
      next.add(p.with(p.primary(), backups));
      roles.add(setRole(c, epoch, p.primary(), backups));
    }
    for (int i = 0; i < changed.size(); i++) {
      try {
        awaitAll(List.of(roles.get(i)), "copying " + changed.get(i) + " to a new backup");
        directory.put(changed.get(i), next.get(i));
      } catch (PsException e) {
        LOG.warn("Could not give {} a new backup: {}", changed.get(i), e.getMessage());
      }
    }
    publish();
    LOG.info("Restored the backups of {} slice copies", changed.size());
  }

  /**
   * Moves slice copies, one at a time on the coordinator's thread (a failover can run between
   * two moves), until every server holds about the same bytes; completes with the moves made,
   * or fails with the first move that could not be made.
   */
  CompletableFuture<List<SliceMove>> rebalance(String reason) {
    CompletableFuture<List<SliceMove>> done = new CompletableFuture<>();
    loop.execute(() -> balanceStep(reason, new ArrayList<>(), done));
    return done;
  }

  private void balanceStep(String reason, List<SliceMove> made,
      CompletableFuture<List<SliceMove>> done) {
    if (stopping) {
      done.completeExceptionally(new PsException("the cluster is stopping"));
      return;
    }
    Set<Integer> leaving = new java.util.TreeSet<>();
    members.values().stream().filter(m -> m.leaving && !m.dead).forEach(m -> leaving.add(m.id));
    Rebalancer.Move next = Rebalancer.next(directory.snapshot(), serving().keySet(), leaving);
    if (next == null) {
      if (!made.isEmpty()) {
        LOG.info("Rebalanced ({}): {} slice copies moved; bytes held now {}", reason,
            made.size(), bytesHeld());
      }
      done.complete(made);
      return;
    }
    try {
      SliceMove m = move(next, next.reason().equals("leave") ? "leave" : reason);
      moves.add(m);
      made.add(m);
      LOG.info("Moved {}", m);
    } catch (RuntimeException e) {
      LOG.warn("Could not move {} from server {} to {}: {}", next.copy(), next.from(), next.to(),
          e.getMessage());
      done.completeExceptionally(new PsException("moving " + next.copy() + " from server "
          + next.from() + " to " + next.to() + " failed: " + e.getMessage(), e));
      return;
    }
    loop.execute(() -> balanceStep(reason, made, done));
  }

  /** Time one step of a move may take before the move is given up. */
  private long moveStepMs() {
    return Math.min(rpcTimeoutMs, Math.max(5000, 2 * failureTimeoutMs));
  }

  private void awaitStep(CompletableFuture<Message> f, String what) {
    try {
      PsClient.await(f, moveStepMs());
    } catch (PsException e) {
      throw new PsException(what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes one move on the coordinator's thread. A copy goes to its new server as a learner
   * first: the primary sends it the slice and every later step, while it keeps serving and
   * answering. A backup then joins the backups; a primary hands over: it stops serving, and
   * once its followers hold every step it applied, the new server becomes the primary with
   * the same backups, and the map naming it is published. The old copy is dropped.
   */
  private SliceMove move(Rebalancer.Move m, String reason) {
    Copy c = m.copy();
    Placement p = directory.get(c);
    if (p == null || p.lost() || !p.holds(m.from()) || (m.to() >= 0 && p.holds(m.to())
        && !(m.primary() && p.backups().contains(m.to())))) {
      throw new PsException("the slice map changed: " + c + " is now " + p);
    }
    long bytes = m.to() >= 0 && !p.holds(m.to()) ? m.floats() * Float.BYTES : 0;
    long start = System.nanoTime();
    long epoch = directory.nextEpoch();
    if (bytes > 0 || m.primary()) {
      try {
        awaitStep(moveRole(c, epoch, p.primary(), true, false, p.backups(),
            bytes > 0 ? List.of(m.to()) : List.of()), "copying " + c + " to server " + m.to());
      } catch (PsException e) {
        forgetLearner(c, p, m.to(), e);
        throw e;
      }
    }
    long copied = System.nanoTime();
    double switchMs;
    if (!m.primary()) {
      List<Integer> backups = new ArrayList<>(p.backups());
      backups.remove(Integer.valueOf(m.from()));
      if (m.to() >= 0) {
        backups.add(m.to());
      }
      awaitStep(moveRole(c, directory.nextEpoch(), p.primary(), true, false, backups,
          List.of()), "making server " + m.to() + " a backup of " + c);
      directory.put(c, p.with(p.primary(), backups));
      publish();
      switchMs = 0;
    } else {
      List<Integer> backups = new ArrayList<>(p.backups());
      backups.remove(Integer.valueOf(m.to()));
      if (m.keepFrom()) {
        backups.add(m.from());
      }
      // The new primary connects to its backups before the switch, which then waits for none;
      // its role keeps the primary's epoch, so that it takes the primary's steps meanwhile.
      try {
        awaitStep(moveRole(c, epoch, m.to(), false, false, backups, List.of()),
            "server " + m.to() + " connecting to the backups of " + c);
      } catch (PsException e) {
        if (bytes > 0) {
          forgetLearner(c, p, m.to(), e);
        }
        throw e;
      }
      long switchStart = System.nanoTime();
      handOver(c, p, m.to(), backups);
      switchMs = (System.nanoTime() - switchStart) / 1e6;
    }
    if (!m.keepFrom()) {
      drop(m.from(), c);
    }
    long end = System.nanoTime();
    return new SliceMove(c.toString(), m.from(), m.to(), m.primary(), bytes,
        (copied - start) / 1e6, switchMs, reason, end);
  }

  /**
   * Switches {@code c} from its primary to server {@code to} (a learner or a backup holding
   * every step) with {@code backups}, in a new epoch. If the new primary does not take the
   * role, the old one serves again.
   */
  private void handOver(Copy c, Placement p, int to, List<Integer> backups) {
    long epoch = directory.nextEpoch();
    try {
      awaitStep(moveRole(c, epoch, p.primary(), false, false, List.of(), List.of()),
          "server " + p.primary() + " handing " + c + " over");
      awaitStep(moveRole(c, epoch, to, true, true, backups, List.of()),
          "server " + to + " taking " + c + " over");
    } catch (PsException e) {
      long again = directory.nextEpoch();
      try {
        awaitStep(moveRole(c, again, p.primary(), true, true, p.backups(), List.of()),
            "server " + p.primary() + " serving " + c + " again");
        drop(to, c);
      } catch (PsException second) {
        e.addSuppressed(second);
      }
      publish();
      throw e;
    }
    directory.put(c, p.with(to, backups));
    publish();
  }

  /**
   * A move given up after its copy began: the primary stops sending steps to {@code learner},
   * which drops what it got. Failures here are added to {@code cause}.
   */
  private void forgetLearner(Copy c, Placement p, int learner, PsException cause) {
    try {
      awaitStep(moveRole(c, directory.nextEpoch(), p.primary(), true, false, p.backups(),
          List.of()), "server " + p.primary() + " forgetting server " + learner);
    } catch (PsException e) {
      cause.addSuppressed(e);
    }
    drop(learner, c);
  }

  /** Tells {@code server} to forget its copy of {@code c}; not waited for. */
  private void drop(int server, Copy c) {
    if (address(server) == null) {
      return;
    }
    link(server).thenCompose(l -> l.request(id -> new io.sparkps.transport.DropSlice(id,
        c.paramId(), c.sliceId()))).whenComplete((m, e) -> {
          if (e != null) {
            LOG.warn("Server {} could not drop its old copy of {}: {}", server, c, e.toString());
          }
        });
  }

  /**
   * Empties server {@code id} (its copies go to the other servers) and stops it; it is not
   * replaced. Completes with the moves made.
   *
   * @throws PsException if it is not a live server, the last one, or holds copies other
   *     server groups sync with
   */
  CompletableFuture<List<SliceMove>> remove(int id) {
    onLoop(() -> {
      Member m = members.get(id);
      if (m == null || m.dead || m.address == null) {
        throw new PsException("server " + id + " is not a live server of this cluster; live: "
            + live().keySet());
      }
      if (serving().size() <= 1) {
        throw new PsException("server " + id + " is the last server of the cluster");
      }
      for (Map.Entry<Copy, Placement> e : directory.snapshot().entrySet()) {
        if (e.getValue().pinned() && e.getValue().holds(id)) {
          throw new PsException("server " + id + " holds " + e.getKey() + ", which the other "
              + "server groups sync with at its address (nServerGroups > 1): such a server "
              + "cannot be removed while the training that made it runs");
        }
      }
      m.leaving = true;
      return null;
    });
    // Completes on the coordinator's thread, after the last move.
    return rebalance("balance").handleAsync((made, error) -> {
      Member m = members.get(id);
      if (error != null) {
        m.leaving = false;
        throw error instanceof java.util.concurrent.CompletionException c ? c
            : new java.util.concurrent.CompletionException(error);
      }
      if (directory.copiesOn(id) > 0) {
        m.leaving = false;
        throw new PsException("server " + id + " still holds " + directory.copiesOn(id)
            + " slice copies after its slices were moved");
      }
      m.dead = true;
      Channel link = m.link;
      if (link != null) {
        link.writeAndFlush(new Shutdown());
      }
      closeLink(id);
      publish();
      LOG.info("Removed server {} from the cluster", id);
      return made;
    }, loop);
  }

  /** Makes the map clients see the current one, and tells every subscribed client. */
  private void publish() {
    Routes routes = directory.publish(live());
    for (Channel c : subscribers) {
      c.writeAndFlush(routes);
    }
    synchronized (parked) {
      for (Parked p : parked) {
        p.peer().writeAndFlush(withId(routes, p.requestId()));
      }
      parked.clear();
    }
  }

  private void expireParked() {
    long now = System.nanoTime();
    Routes routes = directory.published();
    synchronized (parked) {
      parked.removeIf(p -> {
        if (now - p.deadlineNanos() > 0 || !p.peer().isActive()) {
          p.peer().writeAndFlush(withId(routes, p.requestId()));
          return true;
        }
        return false;
      });
    }
  }

  private void closeLink(int id) {
    CompletableFuture<TransportClient> f = links.remove(id);
    if (f != null) {
      f.thenAccept(TransportClient::close);
    }
  }

  /** Tells every connected server to exit. */
  void shutdownAll() {
    stopping = true;
    for (Member m : members.values()) {
      Channel c = m.link;
      if (c != null) {
        c.writeAndFlush(new Shutdown());
      }
    }
  }

  /** Stops the coordinator's thread and its connections to servers. */
  void close() {
    stopping = true;
    loop.shutdownNow();
    links.values().forEach(f -> f.thenAccept(TransportClient::close));
    links.clear();
  }
}
