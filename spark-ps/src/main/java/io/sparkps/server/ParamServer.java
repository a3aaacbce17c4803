package io.sparkps.server;

import io.netty.channel.Channel;
import io.sparkps.server.optim.Optimizers;
import io.sparkps.transport.Ack;
import io.sparkps.transport.Connection;
import io.sparkps.transport.CreateSlice;
import io.sparkps.transport.DropParam;
import io.sparkps.transport.Failure;
import io.sparkps.transport.Flush;
import io.sparkps.transport.FrameDecoder;
import io.sparkps.transport.Get;
import io.sparkps.transport.Message;
import io.sparkps.transport.RequestHandler;
import io.sparkps.transport.Stats;
import io.sparkps.transport.StatsRequest;
import io.sparkps.transport.Sync;
import io.sparkps.transport.Update;
import io.sparkps.transport.Values;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * DROP_PARAM, GET, UPDATE, SYNC and FLUSH. Never blocks: a GET for a version the slice does not
 * have yet, or an UPDATE answer held back by the staleness bound, is parked and released by the
 * update that allows it (a parked GET fails, retriably, after {@code waitTimeoutMs}). A copy of
 * a slice that is not the master sends its change to the master every syncFreq updates.
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
  private final Map<String, CompletableFuture<Connection>> masters = new ConcurrentHashMap<>();
  private final Map<Long, SliceState> slices = new ConcurrentHashMap<>();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();

  /** A server that cannot reach other servers (single server group). */
  public ParamServer(long waitTimeoutMs) {
    this(waitTimeoutMs, SHARED_TIMER, address -> CompletableFuture.failedFuture(
        new IllegalStateException("this server has no connections to other servers")));
  }

  /**
   * @param timer runs the timeouts of parked requests
   * @param connector opens a connection to another server (for syncs with master copies)
   */
  public ParamServer(long waitTimeoutMs, ScheduledExecutorService timer,
      Function<InetSocketAddress, CompletableFuture<Connection>> connector) {
    this.waitTimeoutMs = waitTimeoutMs;
    this.timer = timer;
    this.connector = connector;
  }

  private static long key(int paramId, int sliceId) {
    return ((long) paramId << 32) | (sliceId & 0xffffffffL);
  }

  /**
   * Handles one request from {@code peer}. The gradient of an UPDATE is not kept once the
   * update is applied (a step of several shares sums them into its own array), so it goes back
   * to the channel's decoder for the next UPDATE.
   */
  @Override
  public void handle(Channel peer, Message message) {
    dispatch(message, Peer.of(peer));
    if (message instanceof Update u) {
      FrameDecoder decoder = peer.pipeline().get(FrameDecoder.class);
      if (decoder != null) {
        decoder.recycle(u.gradientSum());
      }
    }
  }

  /** Handles one request; {@code reply} receives the answer, now or later, on any thread. */
  public void process(Message message, Consumer<Message> reply) {
    dispatch(message, Peer.of(reply));
  }

  private void dispatch(Message message, Peer reply) {
    messages.incrementAndGet();
    bytesIn.addAndGet(message.payloadLength());
    if (message instanceof Update u) {
      SliceState slice = slice(u.paramId(), u.sliceId());
      apply(slice, u.paramId(), u.sliceId(), slice.update(u, (version, clock, values) ->
          reply.values(u.requestId(), u.paramId(), u.sliceId(), version, clock, values)));
    } else if (message instanceof io.sparkps.transport.UpdateRows u) {
      SliceState slice = slice(u.paramId(), u.sliceId());
      apply(slice, u.paramId(), u.sliceId(), slice.updateRows(u, new SliceState.Reply() {
        @Override
        public int[] rows() {
          return u.rows();
        }

        @Override
        public Runnable answer(long version, long clock, SliceState.Selection values) {
          return reply.values(u.requestId(), u.paramId(), u.sliceId(), version, clock, values);
        }
      }));
    } else if (message instanceof Get g) {
      get(g.requestId(), g.paramId(), g.sliceId(), g.minVersion(), null, reply);
    } else if (message instanceof io.sparkps.transport.GetRows g) {
      slice(g.paramId(), g.sliceId()).checkRows(g.rows(), -1, () -> "GET_ROWS of param "
          + g.paramId() + " slice " + g.sliceId());
      get(g.requestId(), g.paramId(), g.sliceId(), g.minVersion(), g.rows(), reply);
    } else if (message instanceof Sync s) {
      slice(s.paramId(), s.sliceId()).addDelta(s.delta(), (version, clock, values) ->
          reply.values(s.requestId(), s.paramId(), s.sliceId(), version, clock, values)).run();
    } else if (message instanceof Flush f) {
      SliceState slice = slice(f.paramId(), f.sliceId());
      apply(slice, f.paramId(), f.sliceId(),
          slice.flush(() -> reply.send(new Ack(f.requestId()))));
    } else if (message instanceof StatsRequest r) {
      SliceState st = slice(r.paramId(), r.sliceId());
      reply.send(new Stats(r.requestId(), st.version(), st.updatesReceived(),
          st.sharesReceived(), st.bytesReceived(), st.syncsSent(), st.maxSyncsInFlight(),
          st.bytes()));
    } else if (message instanceof CreateSlice c) {
      slices.put(key(c.paramId(), c.sliceId()), new SliceState(c.values(),
          Optimizers.create(c.optimizer(), c.values().length), c.setup()));
      reply.send(new Ack(c.requestId()));
    } else if (message instanceof DropParam d) {
      slices.keySet().removeIf(k -> (int) (k >>> 32) == d.paramId());
      reply.send(new Ack(d.requestId()));
    } else {
      throw new IllegalArgumentException("a server does not take " + message.type());
    }
  }

  /** Carries out what a slice asked for once its lock is released: answers, then a sync. */
  private void apply(SliceState slice, int paramId, int sliceId, SliceState.Effects effects) {
    effects.answer();
    float[] delta = effects.syncDelta();
    if (delta == null) {
      return;
    }
    String master = slice.setup().master();
    masters.computeIfAbsent(master, m -> {
      String[] hp = m.split(":");
      return connector.apply(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
    }).thenCompose(c -> c.request(id -> new Sync(id, paramId, sliceId, delta)))
        .whenComplete((answer, error) -> {
          if (error == null) {
            apply(slice, paramId, sliceId, slice.syncAnswered(((Values) answer).values()));
          } else {
            LOG.warn("Sync of param {} slice {} with its master {} failed; its change stays "
                + "local: {}", paramId, sliceId, master, error.toString());
            masters.remove(master);
            apply(slice, paramId, sliceId, slice.syncFailed());
          }
        });
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
      public Runnable answer(long version, long clock, SliceState.Selection values) {
        return reply.values(requestId, paramId, sliceId, version, clock, values);
      }
    };
    Runnable now = slice.getOrWait(minVersion, parked);
    if (now != null) {
      now.run();
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
      throw new IllegalArgumentException(
          "this server holds no slice " + sliceId + " of param " + paramId);
    }
    return s;
  }

  /** Counters of one slice, or null if this server does not hold it. */
  public SliceStats stats(int paramId, int sliceId) {
    SliceState s = slices.get(key(paramId, sliceId));
    return s == null ? null : new SliceStats(s.version(), s.updatesReceived(),
        s.duplicatesDropped(), s.syncsSent(), s.maxSyncsInFlight(), s.bytes(), s.valuesNow());
  }

  /** Messages handled so far. */
  public long messagesHandled() {
    return messages.get();
  }

  /** Payload bytes received so far. */
  public long payloadBytesIn() {
    return bytesIn.get();
  }

  public int numSlices() {
    return slices.size();
  }

  /** Closes the connections this server opened to other servers. */
  public void closeLinks() {
    masters.values().forEach(f -> f.thenAccept(Connection::close));
    masters.clear();
  }
}
