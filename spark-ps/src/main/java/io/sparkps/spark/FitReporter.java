package io.sparkps.spark;

import io.sparkps.client.ClusterInfo;
import io.sparkps.client.PsClient;
import io.sparkps.config.PsException;
import io.sparkps.transport.EpochDecided;
import io.sparkps.transport.EpochEnd;
import io.sparkps.transport.ProgressReport;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import io.sparkps.transport.TransportClient;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training task's end of its fit's {@link FitChannel}: reports how far the worker got, and
 * stops at the epoch-end gate when the fit has one.
 *
 * <p>Reports never wait on the network. The connection is made in the background; a report
 * that cannot be written at once (not connected yet, or the connection's outbound buffer full)
 * stays pending, and a later report of the same epoch replaces it (each counts the epoch so
 * far), so the step loop pays a clock read and three accumulator adds per step. {@link
 * #close()} sends what is pending, waiting at most a few seconds. Not thread safe: one task's
 * training loop uses it.
 *
 * <pre>{@code
 * try (FitReporter reporter = FitReporter.open(endpoint, info, run, worker, attempt)) {
 *   reporter.stepped(epoch, steps, examples, lossSum, size, loss);   // after every step
 *   reporter.epochEnded(epoch, steps, examples, lossSum);
 *   EpochDecision d = reporter.gate(epoch, figures);                // gated fits only
 * }
 * }</pre>
 */
final class FitReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FitReporter.class);
  /** Longest wait in {@link #close()} for pending reports to be written. */
  private static final long CLOSE_WAIT_MS = 5_000;

  private final FitChannel.Endpoint driver;
  private final Transport transport;
  private final CompletableFuture<TransportClient> connecting;
  private final long run;
  private final int worker;
  private final int attempt;
  private final long timeoutMs;
  private final long intervalNanos;
  /** Reports not written yet, by epoch; guarded by this (the connection's thread flushes too). */
  private final TreeMap<Integer, ProgressReport> pending = new TreeMap<>();
  private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);
  private long lastReport = System.nanoTime();
  private boolean unreachable;

  private FitReporter(FitChannel.Endpoint driver, ClusterInfo info, long run, int worker,
      int attempt) {
    this.driver = driver;
    this.run = run;
    this.worker = worker;
    this.attempt = attempt;
    this.timeoutMs = info.timeoutMs();
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(driver.intervalMs());
    this.transport = new Transport("ps-fit-worker-" + worker, Secret.fromHex(info.secretHex()),
        1, info.maxFrameBytes(), info.timeoutMs(), info.encrypted());
    this.connecting = transport.connect(driver.address(), m -> { });
    connecting.whenComplete((c, e) -> flush());
  }

  /**
   * Starts connecting to the driver's channel.
   *
   * @param run the run of the training stage ({@code AddressExchange.run})
   * @param attempt the task's attempt: a higher one replaces a lower one's reports
   */
  static FitReporter open(FitChannel.Endpoint driver, ClusterInfo info, long run, int worker,
      int attempt) {
    return new FitReporter(driver, info, run, worker, attempt);
  }

  /**
   * After every step: adds the step to the fit's accumulators and, once per
   * spark.ps.progress.interval, reports the epoch so far.
   *
   * @param steps, examples, lossSum the epoch so far, this step included
   */
  void stepped(int epoch, long steps, long examples, double lossSum, int size, double loss) {
    FitChannel.Meters m = driver.meters();
    m.steps().add(1);
    m.examples().add(size);
    m.lossSum().add(loss * size);
    if (System.nanoTime() - lastReport >= intervalNanos) {
      report(new ProgressReport(run, worker, attempt, epoch, false, steps, examples, lossSum));
    }
  }

  /** Reports that the task has run every step of {@code epoch}. */
  void epochEnded(int epoch, long steps, long examples, double lossSum) {
    report(new ProgressReport(run, worker, attempt, epoch, true, steps, examples, lossSum));
  }

  /**
   * The epoch-end gate: sends the driver this worker's figures for {@code epoch} and waits,
   * at most spark.ps.rpc.timeout, for the decision made from every worker's.
   *
   * @throws PsException when the driver cannot be reached, refuses, or does not answer in time
   */
  EpochDecision gate(int epoch, double[] figures) {
    try {
      TransportClient client = PsClient.await(connecting, timeoutMs);
      EpochDecided d = (EpochDecided) PsClient.await(client.request(
          id -> new EpochEnd(id, run, worker, epoch, figures)), timeoutMs);
      return new EpochDecision(d.goOn(), d.best());
    } catch (RuntimeException e) {
      throw new PsException("worker " + worker + " got no decision from the driver at "
          + driver.address().getHostString() + ":" + driver.address().getPort()
          + " after epoch " + (epoch + 1) + ": " + e.getMessage(), e);
    }
  }

  private synchronized void report(ProgressReport r) {
    lastReport = System.nanoTime();
    pending.put(r.epoch(), r);
    flush();
  }

  private synchronized void flush() {
    TransportClient client = connecting.isDone() && !connecting.isCompletedExceptionally()
        ? connecting.join() : null;
    if (client == null) {
      if (connecting.isCompletedExceptionally() && !unreachable) {
        unreachable = true;
        LOG.warn("spark-ps worker {} cannot reach the driver at {}; its progress is not "
            + "reported", worker, driver.address(), connecting.handle((c, e) -> e).join());
      }
      return;
    }
    while (!pending.isEmpty() && client.isWritable()) {
      lastWrite = client.send(pending.pollFirstEntry().getValue());
    }
  }

  @Override
  public void close() {
    try {
      TransportClient client = connecting.get(Math.min(timeoutMs, CLOSE_WAIT_MS),
          TimeUnit.MILLISECONDS);
      CompletableFuture<Void> written;
      synchronized (this) {
        while (!pending.isEmpty()) {
          lastWrite = client.send(pending.pollFirstEntry().getValue());
        }
        written = lastWrite;
      }
      written.get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
      client.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("spark-ps worker {}: its last progress reports did not reach the driver at {}: "
          + "{}", worker, driver.address(), e.toString());
    } finally {
      transport.close();
    }
  }
}
