package io.sparkps.client;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.Connection;
import io.sparkps.transport.CreateSlice;
import io.sparkps.transport.Flush;
import io.sparkps.transport.LocalEndpoints;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.DropParam;
import io.sparkps.transport.Get;
import io.sparkps.transport.Message;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import io.sparkps.transport.TransportException;
import io.sparkps.transport.Update;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker's connections to every server, and the slice-level calls over them.
 *
 * <p>Thread safe. Every call returns at once with a future; nothing here blocks but {@link
 * #connect} and {@link #await}, both bounded by the cluster's timeout.
 *
 * <pre>{@code
 * try (PsClient client = PsClient.connect(info)) {
 *   Values v = PsClient.await(client.pull(slice, 0), info.timeoutMs());
 *   Values next = PsClient.await(client.push(slice, step, group, workerId, 1, n, gradSum), t);
 * }
 * }</pre>
 */
public final class PsClient implements AutoCloseable {
  private final Transport transport;
  private final List<Connection> servers;
  private final long timeoutMs;

  private PsClient(Transport transport, List<Connection> servers, long timeoutMs) {
    this.transport = transport;
    this.servers = servers;
    this.timeoutMs = timeoutMs;
  }

  /**
   * Connects to every server of the cluster and authenticates; blocks up to the timeout. A
   * server hosted in this JVM is called directly, without a socket.
   */
  public static PsClient connect(ClusterInfo info) {
    Transport transport = new Transport("ps-client", Secret.fromHex(info.secretHex()), 1,
        info.maxFrameBytes(), info.timeoutMs());
    List<CompletableFuture<? extends Connection>> pending = new ArrayList<>();
    for (var address : info.servers()) {
      pending.add(LocalEndpoints.connect(address)
          .<CompletableFuture<? extends Connection>>map(CompletableFuture::completedFuture)
          .orElseGet(() -> transport.connect(address, m -> {})));
    }
    List<Connection> clients = new ArrayList<>();
    try {
      for (CompletableFuture<? extends Connection> f : pending) {
        clients.add(await(f, info.timeoutMs()));
      }
    } catch (RuntimeException e) {
      clients.forEach(Connection::close);
      transport.close();
      throw e;
    }
    return new PsClient(transport, clients, info.timeoutMs());
  }

  /** The slice's values once it has at least {@code minVersion} updates. */
  public CompletableFuture<Values> pull(SliceInfo slice, long minVersion) {
    return server(slice).request(id -> new Get(id, slice.paramId(), slice.sliceId(), minVersion))
        .thenApply(Values.class::cast);
  }

  /**
   * Pushes a gradient share; completes with the slice's values after the step it belongs to
   * has been applied (for a synchronous group: after every worker of the group pushed).
   */
  public CompletableFuture<Values> push(SliceInfo slice, long step, int group, int workerId,
      int shares, int examples, float[] gradientSum) {
    return server(slice).request(id -> new Update(id, workerId, slice.paramId(), slice.sliceId(),
        step, group, shares, examples, gradientSum)).thenApply(Values.class::cast);
  }

  /** Some rows of the slice (strictly increasing, within the slice) at {@code minVersion}. */
  public CompletableFuture<Values> pullRows(SliceInfo slice, long minVersion, int[] rows) {
    return server(slice).request(id -> new io.sparkps.transport.GetRows(id, slice.paramId(),
        slice.sliceId(), minVersion, rows)).thenApply(Values.class::cast);
  }

  /**
   * Pushes a sparse gradient share for some rows of the slice (possibly none); completes with
   * those rows' values after the step.
   */
  public CompletableFuture<Values> pushRows(SliceInfo slice, long step, int group, int workerId,
      int shares, int examples, int[] rows, float[] gradientRows) {
    return server(slice).request(id -> new io.sparkps.transport.UpdateRows(id, workerId,
        slice.paramId(), slice.sliceId(), step, group, shares, examples, rows, gradientRows))
        .thenApply(Values.class::cast);
  }

  /** Creates the slice on its server with initial values. */
  public CompletableFuture<Message> create(SliceInfo slice, OptimizerConfig optimizer,
      SliceSetup setup, float[] values) {
    return server(slice).request(id -> new CreateSlice(id, slice.paramId(), slice.sliceId(),
        optimizer, setup, values));
  }

  /** Creates a plain slice: one group of {@code sharesPerStep} workers, no bound, no sync. */
  public CompletableFuture<Message> create(SliceInfo slice, OptimizerConfig optimizer,
      int sharesPerStep, float[] values) {
    return create(slice, optimizer, SliceSetup.single(sharesPerStep), values);
  }

  /** The counters of the slice on its server. */
  public CompletableFuture<io.sparkps.transport.Stats> stats(SliceInfo slice) {
    return server(slice).request(id -> new io.sparkps.transport.StatsRequest(id, slice.paramId(),
        slice.sliceId())).thenApply(io.sparkps.transport.Stats.class::cast);
  }

  /** Completes once the slice's local change has reached its master copy. */
  public CompletableFuture<Message> flush(SliceInfo slice) {
    return server(slice).request(id -> new Flush(id, slice.paramId(), slice.sliceId()));
  }

  /** Drops the param's slices on every server. */
  public CompletableFuture<Void> drop(int paramId) {
    List<CompletableFuture<Message>> all = new ArrayList<>();
    for (Connection c : servers) {
      all.add(c.request(id -> new DropParam(id, paramId)));
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
  }

  private Connection server(SliceInfo slice) {
    return servers.get(slice.server());
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
    servers.forEach(Connection::close);
    transport.close();
  }
}
