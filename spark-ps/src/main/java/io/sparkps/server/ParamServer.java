package io.sparkps.server;

import io.netty.channel.Channel;
import io.sparkps.server.optim.Optimizer;
import io.sparkps.server.optim.Optimizers;
import io.sparkps.transport.Ack;
import io.sparkps.transport.Connection;
import io.sparkps.transport.CreateSlice;
import io.sparkps.transport.DropParam;
import io.sparkps.transport.Failure;
import io.sparkps.transport.Flush;
import io.sparkps.transport.Get;
import io.sparkps.transport.GetRows;
import io.sparkps.transport.InstallSlice;
import io.sparkps.transport.Message;
import io.sparkps.transport.Replicate;
import io.sparkps.transport.RequestHandler;
import io.sparkps.transport.Resume;
import io.sparkps.transport.SetRole;
import io.sparkps.transport.Stats;
import io.sparkps.transport.StatsRequest;
import io.sparkps.transport.Sync;
import io.sparkps.transport.Update;
import io.sparkps.transport.UpdateRows;
import io.sparkps.transport.Values;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request handling of one parameter server: holds its slices and answers CREATE_SLICE,
 * DROP_PARAM, GET, UPDATE, SYNC and FLUSH from workers and the driver, SET_ROLE from the
 * coordinator, and REPLICATE and INSTALL_SLICE from the primaries of slices it backs up. Never
 * blocks: a GET for a version the slice does not have yet, or an UPDATE answer held back by the
 * staleness bound or by replication, is parked and released by what allows it (a parked GET
 * fails, retriably, after {@code waitTimeoutMs}). A copy of a slice that is not the master sends
 * its change to the master every syncFreq updates.
 *
 * <p>A worker request for a slice this server does not serve as primary is answered with a
 * {@link Failure.Kind#NOT_PRIMARY} failure: the worker asks the coordinator where it went.
 *
 * <p>Reached over Netty through {@link #handle(Channel, Message)}, or directly in the same JVM
 * through {@link #process(Message, Consumer)}.
 */
public final class ParamServer implements RequestHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ParamServer.class);
  private static final ScheduledExecutorService SHARED_TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ps-server-timer");
        t.setDaemon(true);
        return t;
      });

  private final long waitTimeoutMs;
  private final ScheduledExecutorService timer;
  private final Function<InetSocketAddress, CompletableFuture<Connection>> connector;
  private final Map<String, CompletableFuture<Connection>> peers = new ConcurrentHashMap<>();
  private final Map<Long, SliceState> slices = new ConcurrentHashMap<>();
  private final Map<Long, io.sparkps.config.OptimizerConfig> optimizers =
      new ConcurrentHashMap<>();
  private final AtomicLong messages = new AtomicLong();
  private final CheckpointIo checkpoints;
  /** Checkpoint writes by path, until {@code CHECKPOINT_WRITTEN} asked for them. */
  private final Map<String, CompletableFuture<Void>> writes = new ConcurrentHashMap<>();
  private static final int MAX_WRITES_KEPT = 1024;

  /** A server that cannot reach other servers (single server group). */
  public ParamServer(long waitTimeoutMs) {
    this(waitTimeoutMs, SHARED_TIMER, address -> CompletableFuture.failedFuture(
        new IllegalStateException("this server has no connections to other servers")));
  }

  /**
   * @param timer runs the timeouts of parked requests
   * @param connector opens a connection to another server (master copies, backups)
   */
  public ParamServer(long waitTimeoutMs, ScheduledExecutorService timer,
      Function<InetSocketAddress, CompletableFuture<Connection>> connector) {
    this(waitTimeoutMs, timer, connector, CheckpointIo.unavailable());
  }

  /** @param checkpoints where CHECKPOINT writes and LOAD_SLICE reads slice files */
  public ParamServer(long waitTimeoutMs, ScheduledExecutorService timer,
      Function<InetSocketAddress, CompletableFuture<Connection>> connector,
      CheckpointIo checkpoints) {
    this.waitTimeoutMs = waitTimeoutMs;
    this.timer = timer;
    this.connector = connector;
    this.checkpoints = checkpoints;
  }

  private static long key(int paramId, int sliceId) {
    return ((long) paramId << 32) | (sliceId & 0xffffffffL);
  }

  /**
   * Handles one request from {@code peer}. The floats of an UPDATE, UPDATE_ROWS or REPLICATE
   * are read in the received frame, which the pipeline releases once this returns: nothing
   * keeps them (a step of several shares sums them into its own array, a single share is
   * applied from the frame, a forwarded step is encoded at once).
   */
  @Override
  public void handle(Channel peer, Message message) {
    dispatch(message, Peer.of(peer));
  }

  /** Handles one request; {@code reply} receives the answer, now or later, on any thread. */
  public void process(Message message, Consumer<Message> reply) {
    dispatch(message, Peer.of(reply));
  }

  private void dispatch(Message message, Peer reply) {
    messages.incrementAndGet();
    try {
      route(message, reply);
    } catch (SliceState.NotPrimaryException e) {
      reply.send(new Failure(message.requestId(), e.moving ? Failure.Kind.MOVING
          : Failure.Kind.NOT_PRIMARY, e.getMessage()));
    }
  }

  private void route(Message message, Peer reply) {
    if (message instanceof Update u) {
      SliceState slice = slice(u.paramId(), u.sliceId());
      apply(slice, slice.update(u, (version, clock, values) ->
          reply.values(u.requestId(), u.paramId(), u.sliceId(), version, clock, values)));
    } else if (message instanceof UpdateRows u) {
      SliceState slice = slice(u.paramId(), u.sliceId());
      apply(slice, slice.updateRows(u, new SliceState.Reply() {
        @Override
        public int[] rows() {
          return u.rows();
        }

        @Override
        public SliceState.Answer answer(long version, long clock, SliceState.Selection values) {
          return reply.values(u.requestId(), u.paramId(), u.sliceId(), version, clock, values);
        }
      }));
    } else if (message instanceof Resume r) {
      reply.send(slice(r.paramId(), r.sliceId()).resume(r));
    } else if (message instanceof Get g) {
      get(g.requestId(), g.paramId(), g.sliceId(), g.minVersion(), null, reply);
    } else if (message instanceof GetRows g) {
      slice(g.paramId(), g.sliceId()).checkRows(g.rows(), -1, () -> "GET_ROWS of param "
          + g.paramId() + " slice " + g.sliceId());
      get(g.requestId(), g.paramId(), g.sliceId(), g.minVersion(), g.rows(), reply);
    } else if (message instanceof Sync s) {
      slice(s.paramId(), s.sliceId()).addDelta(s.delta(), (version, clock, values) ->
          reply.values(s.requestId(), s.paramId(), s.sliceId(), version, clock, values)).send();
    } else if (message instanceof Flush f) {
      SliceState slice = slice(f.paramId(), f.sliceId());
      apply(slice, slice.flush(() -> reply.send(new Ack(f.requestId()))));
    } else if (message instanceof StatsRequest r) {
      SliceState st = slice(r.paramId(), r.sliceId());
      SliceCounters.Snapshot c = st.counters();
      reply.send(new Stats(r.requestId(), st.version(), c.updatesReceived(),
          c.sharesReceived(), c.bytesReceived(), c.syncsSent(), c.maxSyncsInFlight(),
          st.bytes(), c.sharesApplied(), st.recoveryMicros()));
    } else if (message instanceof CreateSlice c) {
      slices.put(key(c.paramId(), c.sliceId()), new SliceState(c.paramId(), c.sliceId(),
          c.values(), Optimizers.create(c.optimizer(), c.values().length), c.setup()));
      optimizers.put(key(c.paramId(), c.sliceId()), c.optimizer());
      reply.send(new Ack(c.requestId()));
    } else if (message instanceof DropParam d) {
      slices.keySet().removeIf(k -> (int) (k >>> 32) == d.paramId());
      optimizers.keySet().removeIf(k -> (int) (k >>> 32) == d.paramId());
      reply.send(new Ack(d.requestId()));
    } else if (message instanceof io.sparkps.transport.DropSlice d) {
      slices.remove(key(d.paramId(), d.sliceId()));
      optimizers.remove(key(d.paramId(), d.sliceId()));
      reply.send(new Ack(d.requestId()));
    } else if (message instanceof SetRole r) {
      setRole(r, reply);
    } else if (message instanceof Replicate r) {
      slice(r.paramId(), r.sliceId()).applyReplicated(r);
      reply.send(new Ack(r.requestId()));
    } else if (message instanceof InstallSlice i) {
      Optimizer optimizer = Optimizers.create(i.optimizer(), i.values().length);
      slices.put(key(i.paramId(), i.sliceId()), SliceState.backupOf(i, optimizer));
      optimizers.put(key(i.paramId(), i.sliceId()), i.optimizer());
      reply.send(new Ack(i.requestId()));
    } else if (message instanceof io.sparkps.transport.CheckpointWritten w) {
      written(w, reply);
    } else if (message instanceof io.sparkps.transport.Checkpoint c) {
      checkpoint(c, reply);
    } else if (message instanceof io.sparkps.transport.LoadSlice l) {
      load(l, reply);
    } else {
      throw new IllegalArgumentException("a server does not take " + message.type());
    }
  }

  /**
   * Carries out what a slice asked for once its lock is released: once the step is on every
   * backup, the answers, then a sync. A backup's refusal means this copy is a stale primary:
   * the answers become NOT_PRIMARY failures. An unreachable backup holds the answers until the
   * coordinator drops it from the slice (or the wait times out).
   */
  private void apply(SliceState slice, SliceState.Effects effects) {
    CompletableFuture<Void> replicated = effects.replicated();
    if (replicated == null || (replicated.isDone() && !replicated.isCompletedExceptionally())) {
      finish(slice, effects);
      return;
    }
    replicated.whenComplete((v, error) -> {
      if (error == null) {
        finish(slice, effects);
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (!(cause instanceof SliceState.BackupFailure f)) {
        effects.fail(Failure.Kind.FATAL, cause.toString());
        return;
      }
      if (f.refused) {
        if (f.getCause() instanceof io.sparkps.transport.RemoteException r && r.notPrimary()) {
          LOG.warn("A backup refused a step of {}: this copy is no longer the primary ({})",
              slice, cause.getMessage());
          slice.demote();
          effects.fail(Failure.Kind.NOT_PRIMARY, "the slice moved: " + cause.getMessage());
        } else {
          LOG.error("A backup refused a step of {}: {}", slice, cause.getMessage());
          effects.fail(Failure.Kind.FATAL, cause.getMessage());
        }
        return;
      }
      if (!slice.hold(f.backup, effects)) {
        finish(slice, effects);
        return;
      }
      timer.schedule(() -> {
        if (slice.unhold(effects)) {
          effects.fail(Failure.Kind.RETRIABLE, "backup server " + f.backup + " could not be "
              + "reached and was not replaced within " + waitTimeoutMs
              + " ms (spark.ps.rpc.timeout): " + f.getMessage());
        }
      }, waitTimeoutMs, TimeUnit.MILLISECONDS);
    });
  }

  private void finish(SliceState slice, SliceState.Effects effects) {
    effects.answer();
    if (!effects.answers().isEmpty()) {
      slice.acknowledged();
    }
    float[] delta = effects.syncDelta();
    if (delta == null) {
      return;
    }
    String master = slice.setup().master();
    peer(master).thenCompose(c -> c.request(id -> new Sync(id, slice.paramId(), slice.sliceId(),
        delta))).whenComplete((answer, error) -> {
          if (error == null) {
            apply(slice, slice.syncAnswered(((Values) answer).values()));
          } else {
            LOG.warn("Sync of {} with its master {} failed; its change stays local: {}", slice,
                master, error.toString());
            peers.remove(master);
            apply(slice, slice.syncFailed());
          }
        });
  }

  /** A connection to the server at "host:port", opened once and again after it closed. */
  private CompletableFuture<Connection> peer(String hostPort) {
    return peers.compute(hostPort, (k, existing) -> {
      if (existing != null && (!existing.isDone() || (!existing.isCompletedExceptionally()
          && existing.join().isActive()))) {
        return existing;
      }
      int colon = k.lastIndexOf(':');
      return connector.apply(new InetSocketAddress(k.substring(0, colon),
          Integer.parseInt(k.substring(colon + 1))));
    });
  }

  /**
   * Takes a role for one slice from the coordinator: connects to the backups and learners
   * first (also as a backup, about to become the primary), then lets the slice send the new ones its copy; acknowledged once they hold it (and,
   * for a primary handing the slice over, once its followers have every step it forwarded).
   */
  private void setRole(SetRole r, Peer reply) {
    SliceState slice = slice(r.paramId(), r.sliceId());
    Map<Integer, CompletableFuture<Connection>> backups = new LinkedHashMap<>();
    Map<Integer, CompletableFuture<Connection>> learners = new LinkedHashMap<>();
    // A backup told of backups connects to them, unused until it is made the primary: a slice
    // moving here then switches without waiting for connections.
    connect(r.backups(), backups);
    connect(r.learners(), learners);
    List<CompletableFuture<Connection>> all = new ArrayList<>(backups.values());
    all.addAll(learners.values());
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0]))
        .thenCompose(ignored -> {
          Backups followers = new Backups(ready(backups), ready(learners));
          return slice.setRole(r.epoch(), r.primary(), r.synced(), r.settle(), followers,
              followers::install, optimizers.get(key(r.paramId(), r.sliceId())));
        })
        .whenComplete((v, e) -> {
          if (e == null) {
            reply.send(new Ack(r.requestId()));
          } else {
            reply.send(new Failure(r.requestId(), Failure.Kind.RETRIABLE, "could not take the"
                + " role of epoch " + r.epoch() + " for param " + r.paramId() + " slice "
                + r.sliceId() + ": " + unwrap(e)));
          }
        });
  }

  /** Opens a connection to each server of "id@host:port,...", by id, into {@code into}. */
  private void connect(String servers, Map<Integer, CompletableFuture<Connection>> into) {
    if (servers.isEmpty()) {
      return;
    }
    for (String b : servers.split(",")) {
      int at = b.indexOf('@');
      into.put(Integer.parseInt(b.substring(0, at)), peer(b.substring(at + 1)));
    }
  }

  private static Map<Integer, Connection> ready(Map<Integer, CompletableFuture<Connection>> f) {
    Map<Integer, Connection> out = new LinkedHashMap<>();
    f.forEach((id, c) -> out.put(id, c.join()));
    return out;
  }

  /**
   * Copies the slice under its lock (the only time a checkpoint holds the slice), answers at
   * once, and writes the copy on the checkpoint thread; {@link #written} answers when that
   * write ends.
   */
  private void checkpoint(io.sparkps.transport.Checkpoint c, Peer reply) {
    InstallSlice copy;
    try {
      copy = slice(c.paramId(), c.sliceId()).checkpoint(c.group(), c.step(),
          optimizers.get(key(c.paramId(), c.sliceId())));
    } catch (IllegalStateException e) {
      reply.send(new Failure(c.requestId(), Failure.Kind.FATAL, e.getMessage()));
      return;
    }
    if (writes.size() > MAX_WRITES_KEPT) {
      // Writes nobody asked about (their worker died): forget the finished ones.
      writes.values().removeIf(CompletableFuture::isDone);
    }
    writes.put(c.path(), checkpoints.write(c.path(), copy));
    reply.send(new Ack(c.requestId()));
  }

  /** Answers once the checkpoint write to {@code w.path()} has ended. */
  private void written(io.sparkps.transport.CheckpointWritten w, Peer reply) {
    CompletableFuture<Void> write = writes.get(w.path());
    if (write == null) {
      reply.send(new Failure(w.requestId(), Failure.Kind.FATAL, "this server wrote no "
          + "checkpoint of param " + w.paramId() + " slice " + w.sliceId() + " to " + w.path()));
      return;
    }
    write.whenComplete((v, e) -> {
      writes.remove(w.path(), write);
      reply.send(e == null ? new Ack(w.requestId())
          : new Failure(w.requestId(), Failure.Kind.FATAL, "could not write the checkpoint of "
              + "param " + w.paramId() + " slice " + w.sliceId() + " to " + w.path() + ": "
              + unwrap(e)));
    });
  }

  /** Creates a primary slice from its checkpoint file, read on the checkpoint thread. */
  private void load(io.sparkps.transport.LoadSlice l, Peer reply) {
    checkpoints.read(l).whenComplete((copy, e) -> {
      String failed = null;
      if (e == null) {
        try {
          slices.put(key(l.paramId(), l.sliceId()), SliceState.restored(copy,
              Optimizers.create(l.optimizer(), l.length())));
          optimizers.put(key(l.paramId(), l.sliceId()), l.optimizer());
        } catch (IllegalArgumentException bad) {
          failed = bad.getMessage();
        }
      } else {
        failed = unwrap(e).toString();
      }
      reply.send(failed == null ? new Ack(l.requestId()) : new Failure(l.requestId(),
          Failure.Kind.FATAL, "could not load param " + l.paramId() + " slice " + l.sliceId()
              + " from " + l.path() + ": " + failed));
    });
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private void get(long requestId, int paramId, int sliceId, long minVersion, int[] rows,
      Peer reply) {
    SliceState slice = slice(paramId, sliceId);
    SliceState.Reply parked = new SliceState.Reply() {
      @Override
      public int[] rows() {
        return rows;
      }

      @Override
      public SliceState.Answer answer(long version, long clock, SliceState.Selection values) {
        return reply.values(requestId, paramId, sliceId, version, clock, values);
      }
    };
    SliceState.Answer now = slice.getOrWait(minVersion, parked);
    if (now != null) {
      now.send();
      return;
    }
    timer.schedule(() -> {
      if (slice.cancel(parked)) {
        reply.send(new Failure(requestId, true, "param " + paramId + " slice "
            + sliceId + " did not reach version " + minVersion + " within "
            + waitTimeoutMs + " ms (spark.ps.rpc.timeout); it is at " + slice.version()));
      }
    }, waitTimeoutMs, TimeUnit.MILLISECONDS);
  }

  private SliceState slice(int paramId, int sliceId) {
    SliceState s = slices.get(key(paramId, sliceId));
    if (s == null) {
      throw new SliceState.NotPrimaryException(
          "this server holds no slice " + sliceId + " of param " + paramId);
    }
    return s;
  }

  /** Counters of one slice, or null if this server does not hold it. */
  public SliceStats stats(int paramId, int sliceId) {
    SliceState s = slices.get(key(paramId, sliceId));
    if (s == null) {
      return null;
    }
    SliceCounters.Snapshot c = s.counters();
    return new SliceStats(s.version(), c.updatesReceived(), c.duplicatesDropped(),
        c.syncsSent(), (int) c.maxSyncsInFlight(), s.bytes(), s.valuesNow());
  }

  /** Messages handled so far. */
  public long messagesHandled() {
    return messages.get();
  }

  public int numSlices() {
    return slices.size();
  }

  /**
   * Forgets every slice: the coordinator declared this server dead while it was away (paused),
   * and gave its slices to others.
   */
  public void dropAll() {
    slices.clear();
    optimizers.clear();
  }

  /** Closes the connections this server opened to other servers. */
  public void closeLinks() {
    List<CompletableFuture<Connection>> all = new ArrayList<>(peers.values());
    peers.clear();
    all.forEach(f -> f.thenAccept(Connection::close));
  }
}
