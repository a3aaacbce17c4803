package io.sparkps.client;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.Connection;
import io.sparkps.transport.CreateSlice;
import io.sparkps.transport.FloatPayload;
import io.sparkps.transport.FloatSink;
import io.sparkps.transport.Flush;
import io.sparkps.transport.LocalEndpoints;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.DropParam;
import io.sparkps.transport.Get;
import io.sparkps.transport.Message;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import io.sparkps.transport.TransportException;
import io.sparkps.transport.Resume;
import io.sparkps.transport.Resumed;
import io.sparkps.transport.Update;
import io.sparkps.transport.Values;
import io.sparkps.config.PsException;
import io.sparkps.transport.RemoteException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker's connections to the servers, and the slice-level calls over them.
 *
 * <p>Every call is routed by slice: to the server the coordinator's slice map names as the
 * slice's primary now (or, for co-located servers, the one the slice was placed on). When that
 * server is lost or no longer serves the slice, the call waits for the new map and is sent
 * again to the new primary, until the timeout; the servers drop a share of a step they have
 * applied already, so a resent push is never applied twice. A call to a slice whose every copy
 * is lost fails at once with what happened.
 *
 * <p>Thread safe. Every call returns at once with a future; nothing here blocks but {@link
 * #connect} and {@link #await}, both bounded by the cluster's timeout.
 *
 * <pre>{@code
 * try (PsClient client = PsClient.connect(info)) {
 *   Values v = PsClient.await(client.pull(slice, 0), info.timeoutMs());
 *   Values next = PsClient.await(client.push(slice, Share.of(step, group, worker, n), g), t);
 * }
 * }</pre>
 */
public final class PsClient implements AutoCloseable {
  private final Transport transport;
  private final long timeoutMs;
  private final Map<Integer, CompletableFuture<Connection>> connections =
      new ConcurrentHashMap<>();
  private Router router;

  private PsClient(Transport transport, long timeoutMs) {
    this.transport = transport;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Connects to the coordinator (or to every listed server) and authenticates; blocks up to
   * the timeout. A server hosted in this JVM is called directly, without a socket.
   */
  public static PsClient connect(ClusterInfo info) {
    Transport transport = new Transport("ps-client", Secret.fromHex(info.secretHex()), 1,
        info.maxFrameBytes(), info.timeoutMs(), info.encrypted());
    PsClient client = new PsClient(transport, info.timeoutMs());
    try {
      if (info.coordinator() != null) {
        client.router = CoordinatorRouter.connect(transport, info.coordinator(),
            info.timeoutMs(), client::forgetGone);
      } else {
        client.router = Router.fixed(RouteTable.fixed(info.servers()));
      }
      List<CompletableFuture<Connection>> pending = new ArrayList<>();
      client.router.current().servers().forEach((id, a) -> pending.add(client.connection(id, a)));
      if (!client.router.moves()) {
        for (CompletableFuture<Connection> f : pending) {
          await(f, info.timeoutMs());
        }
      }
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** Closes the connections to servers that left the map: their requests go elsewhere. */
  private void forgetGone(RouteTable table) {
    connections.entrySet().removeIf(e -> {
      if (table.address(e.getKey()) != null) {
        return false;
      }
      e.getValue().thenAccept(Connection::close);
      return true;
    });
  }

  private CompletableFuture<Connection> connection(int id, InetSocketAddress address) {
    CompletableFuture<Connection> open = connections.get(id);
    if (open != null && open.isDone() && !open.isCompletedExceptionally()
        && open.join().isActive()) {
      return open; // the common case, without locking the map
    }
    return connections.compute(id, (k, f) -> {
      if (f != null && (!f.isDone() || (!f.isCompletedExceptionally() && f.join().isActive()))) {
        return f;
      }
      return LocalEndpoints.connect(address)
          .map(CompletableFuture::completedFuture)
          .orElseGet(() -> transport.connect(address, m -> { }).thenApply(c -> c));
    });
  }

  /** Sends the request {@code build} makes to the slice's primary, again after it moved. */
  private CompletableFuture<Message> call(SliceInfo slice, LongFunction<? extends Message> build) {
    return call(slice, build, null);
  }

  /** The same, with the answer's floats written into {@code sink} (null: a new array). */
  private CompletableFuture<Message> call(SliceInfo slice, LongFunction<? extends Message> build,
      FloatSink sink) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    attempt(slice, build, sink, result,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    return result;
  }

  private void attempt(SliceInfo slice, LongFunction<? extends Message> build, FloatSink sink,
      CompletableFuture<Message> result, long deadline) {
    attempt(slice, build, sink, result, deadline, router.current(), true);
  }

  private void attempt(SliceInfo slice, LongFunction<? extends Message> build, FloatSink sink,
      CompletableFuture<Message> result, long deadline, RouteTable table, boolean mayRefresh) {
    int primary;
    try {
      primary = table.primaryOf(slice);
    } catch (IllegalArgumentException e) {
      if (!mayRefresh || !router.moves()) {
        result.completeExceptionally(new PsException(e.getMessage()));
        return;
      }
      // A slice created a moment ago may be in a map this client has not received yet.
      router.newerThan(table.epoch()).whenComplete((next, error) -> {
        if (error != null) {
          result.completeExceptionally(unwrap(error));
        } else {
          attempt(slice, build, sink, result, deadline, next, false);
        }
      });
      return;
    }
    if (primary == RouteTable.LOST) {
      result.completeExceptionally(new PsException(table.lost()));
      return;
    }
    InetSocketAddress address = table.address(primary);
    CompletableFuture<Message> sent = address == null
        ? CompletableFuture.failedFuture(new TransportException("server " + primary
            + " is not in the " + table))
        : connection(primary, address).thenCompose(c -> sink == null ? c.request(build)
            : c.request(build, sink));
    sent.whenComplete((m, e) -> {
      if (e == null) {
        result.complete(m);
        return;
      }
      Throwable cause = unwrap(e);
      if (!router.moves() || !movedAway(cause) || System.nanoTime() - deadline > 0) {
        result.completeExceptionally(cause);
        return;
      }
      router.newerThan(table.epoch()).whenComplete((next, refreshError) -> {
        if (refreshError != null) {
          cause.addSuppressed(unwrap(refreshError));
          result.completeExceptionally(cause);
        } else if (cause instanceof RemoteException r && !r.moving()
            && next.epoch() == table.epoch()) {
          // The map has not changed and its primary says it does not serve the slice.
          result.completeExceptionally(cause);
        } else {
          attempt(slice, build, sink, result, deadline);
        }
      });
    });
  }

  /** Whether a failed request may succeed at the slice's primary of a newer map. */
  private static boolean movedAway(Throwable cause) {
    // A connection reset while the request was written arrives as the socket's own exception.
    return cause instanceof TransportException || cause instanceof java.io.IOException
        || (cause instanceof RemoteException r && (r.notPrimary() || r.moving()));
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /** The slice's values once it has at least {@code minVersion} updates. */
  public CompletableFuture<Values> pull(SliceInfo slice, long minVersion) {
    return call(slice, id -> new Get(id, slice.paramId(), slice.sliceId(), minVersion))
        .thenApply(Values.class::cast);
  }

  /**
   * Pushes a gradient share; completes with the slice's values after the step it belongs to
   * has been applied (for a synchronous group: after every worker of the group pushed) on the
   * slice's primary and its backups. {@code gradientSum} must not change until then: it is
   * sent again if the slice moves meanwhile.
   */
  public CompletableFuture<Values> push(SliceInfo slice, Share share, float[] gradientSum) {
    return call(slice, id -> new Update(id, share.worker(), slice.paramId(), slice.sliceId(),
        share.step(), share.group(), share.workers(), share.examples(), gradientSum))
        .thenApply(Values.class::cast);
  }

  /**
   * Where worker group {@code group} stands on the slice, for a task of run {@code attempt} of
   * its stage that starts: its next step there and, with {@code withValues}, the values at the
   * start of {@code step} ({@link Resume#NEXT}: now).
   */
  public CompletableFuture<Resumed> resume(SliceInfo slice, int group, int attempt, long step,
      boolean withValues) {
    return call(slice, id -> new Resume(id, slice.paramId(), slice.sliceId(), group, attempt,
        step, withValues)).thenApply(Resumed.class::cast);
  }

  /** Some rows of the slice (strictly increasing, within the slice) at {@code minVersion}. */
  public CompletableFuture<Values> pullRows(SliceInfo slice, long minVersion, int[] rows) {
    return call(slice, id -> new io.sparkps.transport.GetRows(id, slice.paramId(),
        slice.sliceId(), minVersion, rows)).thenApply(Values.class::cast);
  }

  /**
   * Pushes a sparse gradient share for some rows of the slice (possibly none); completes with
   * those rows' values after the step.
   */
  public CompletableFuture<Values> pushRows(SliceInfo slice, Share share, int[] rows,
      float[] gradientRows) {
    return call(slice, id -> new io.sparkps.transport.UpdateRows(id, share.worker(),
        slice.paramId(), slice.sliceId(), share.step(), share.group(), share.workers(),
        share.examples(), rows, gradientRows)).thenApply(Values.class::cast);
  }

  // Calls that read the gradient from, and write the answer into, arrays the caller owns: no
  // array is made for either, whatever the size of the slice. Ownership, for all four: the
  // caller must not write the gradient region until the future completes (it is encoded on a
  // Netty thread, and sent again if the slice moves meanwhile), nor read or write the {@code
  // into} region until then (the answer is written there on a Netty thread — or, for a server
  // in this JVM, the thread that completes the step — before the future completes; a retry
  // after a failover writes it again). The future's Values views {@code into}: its version()
  // and clock() are the answer's, and values() would copy the region. An answer whose length
  // is not {@code into.length()} fails the future.

  /**
   * {@link #pull(SliceInfo, long)} into {@code into}, which must hold {@code slice.length()}
   * floats.
   *
   * <pre>{@code
   * float[] w = new float[total];
   * client.pull(slice, 0, new FloatSink(w, (int) slice.offset(), slice.length())).join();
   * }</pre>
   */
  public CompletableFuture<Values> pull(SliceInfo slice, long minVersion, FloatSink into) {
    return call(slice, id -> new Get(id, slice.paramId(), slice.sliceId(), minVersion), into)
        .thenApply(Values.class::cast);
  }

  /**
   * {@link #push(SliceInfo, Share, float[])} of {@code gradient[from, from + slice.length())},
   * with the values after the step written into {@code into} ({@code slice.length()} floats).
   * Ownership as above.
   *
   * <pre>{@code
   * int at = (int) slice.offset();
   * Values v = PsClient.await(client.push(slice, share, grad, at,
   *     new FloatSink(weights, at, slice.length())), timeoutMs);
   * // weights[at, at + slice.length()) now hold the slice at v.version(); grad may change
   * }</pre>
   */
  public CompletableFuture<Values> push(SliceInfo slice, Share share, float[] gradient, int from,
      FloatSink into) {
    FloatPayload part = FloatPayload.of(gradient, from, slice.length());
    return call(slice, id -> new Update(id, share.worker(), slice.paramId(), slice.sliceId(),
        share.step(), share.group(), share.workers(), share.examples(), part), into)
        .thenApply(Values.class::cast);
  }

  /**
   * {@link #pullRows(SliceInfo, long, int[])} into {@code into}, which must hold {@code
   * rows.length} times the slice's row width floats. Ownership as above; {@code rows} must not
   * change either.
   */
  public CompletableFuture<Values> pullRows(SliceInfo slice, long minVersion, int[] rows,
      FloatSink into) {
    return call(slice, id -> new io.sparkps.transport.GetRows(id, slice.paramId(),
        slice.sliceId(), minVersion, rows), into).thenApply(Values.class::cast);
  }

  /**
   * {@link #pushRows(SliceInfo, Share, int[], float[])} of the {@code length} floats of {@code
   * gradientRows} from {@code from}, with the rows' values after the step written into {@code
   * into} (as many floats). Ownership as above; {@code rows} must not change either.
   */
  public CompletableFuture<Values> pushRows(SliceInfo slice, Share share, int[] rows,
      float[] gradientRows, int from, int length, FloatSink into) {
    FloatPayload part = FloatPayload.of(gradientRows, from, length);
    return call(slice, id -> new io.sparkps.transport.UpdateRows(id, share.worker(),
        slice.paramId(), slice.sliceId(), share.step(), share.group(), share.workers(),
        share.examples(), rows, part), into).thenApply(Values.class::cast);
  }

  /** Creates the slice on its server with initial values. */
  public CompletableFuture<Message> create(SliceInfo slice, OptimizerConfig optimizer,
      SliceSetup setup, float[] values) {
    return call(slice, id -> new CreateSlice(id, slice.paramId(), slice.sliceId(),
        optimizer, setup, values));
  }

  /** Creates a plain slice: one group of {@code sharesPerStep} workers, no bound, no sync. */
  public CompletableFuture<Message> create(SliceInfo slice, OptimizerConfig optimizer,
      int sharesPerStep, float[] values) {
    return create(slice, optimizer, SliceSetup.single(sharesPerStep), values);
  }

  /**
   * Asks the slice's primary for a checkpoint at the start of step {@code step} of worker
   * group {@code group}, written to {@code path}; completes once the slice is copied (the
   * write goes on in the background: {@link #checkpointWritten}), or fails if the slice is not
   * at the start of that step.
   */
  public CompletableFuture<Message> checkpoint(SliceInfo slice, int group, long step,
      String path) {
    return call(slice, id -> new io.sparkps.transport.Checkpoint(id, slice.paramId(),
        slice.sliceId(), group, step, path));
  }

  /** Completes once the copy {@link #checkpoint} took is written to {@code path}. */
  public CompletableFuture<Message> checkpointWritten(SliceInfo slice, String path) {
    return call(slice, id -> new io.sparkps.transport.CheckpointWritten(id, slice.paramId(),
        slice.sliceId(), path));
  }

  /** The counters of the slice on its server. */
  public CompletableFuture<io.sparkps.transport.Stats> stats(SliceInfo slice) {
    return call(slice, id -> new io.sparkps.transport.StatsRequest(id, slice.paramId(),
        slice.sliceId())).thenApply(io.sparkps.transport.Stats.class::cast);
  }

  /** Completes once the slice's local change has reached its master copy. */
  public CompletableFuture<Message> flush(SliceInfo slice) {
    return call(slice, id -> new Flush(id, slice.paramId(), slice.sliceId()));
  }

  /** Drops the param's slices on every server this client knows. */
  public CompletableFuture<Void> drop(int paramId) {
    List<CompletableFuture<Message>> all = new ArrayList<>();
    router.current().servers().forEach((id, address) -> all.add(connection(id, address)
        .thenCompose(c -> c.request(r -> new DropParam(r, paramId)))));
    return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  /**
   * Waits for a future up to {@code timeoutMs}; unwraps its failure, so that a {@link
   * io.sparkps.config.PsException} from the transport arrives as itself.
   */
  public static <T> T await(CompletableFuture<T> future, long timeoutMs) {
    try {
      return future.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof TimeoutException) {
        throw new TransportException("no answer within " + timeoutMs
            + " ms (spark.ps.rpc.timeout)", cause);
      }
      throw new TransportException(cause.toString(), cause);
    } catch (TimeoutException e) {
      throw new TransportException("no answer within " + timeoutMs + " ms (spark.ps.rpc.timeout)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while waiting for the servers", e);
    }
  }

  @Override
  public void close() {
    connections.values().forEach(f -> f.thenAccept(Connection::close));
    connections.clear();
    if (router != null) {
      router.close();
    }
    transport.close();
  }
}
