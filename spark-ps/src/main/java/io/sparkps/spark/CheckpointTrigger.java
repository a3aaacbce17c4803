package io.sparkps.spark;

import io.sparkps.client.PsClient;
import io.sparkps.config.CheckpointInterval;
import io.sparkps.param.SliceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker 0's side of checkpoints: at the start of a step that is due (every N steps, or the
 * first step once the interval has passed), before the step is computed, asks every slice for
 * a copy at the start of that step (CHECKPOINT) and waits until every slice has taken it (one
 * round trip, the only time a checkpoint holds the training); then, in the background, waits
 * for every slice's file to be written (CHECKPOINT_WRITTEN) and commits the checkpoint. A
 * checkpoint due while the previous one is still being written is skipped, not queued.
 *
 * <p>In a synchronous group this makes a consistent cut: worker 0 has the answers of every
 * slice for the step before, and no slice can complete the step without worker 0's share,
 * which it computes only once every copy is taken (another worker of its JVM cannot send the
 * group's summed share of the step without it either). A slice that is not at the start of
 * the step refuses, and the checkpoint is abandoned. Not thread safe: the worker's training
 * loop calls it.
 */
final class CheckpointTrigger {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointTrigger.class);
  private static final CheckpointTrigger NONE = new CheckpointTrigger();

  private final CheckpointPlan plan;
  private final List<SliceInfo> slices;
  private final PsClient client;
  private final int group;
  private final CheckpointStore store;
  private final ThreadPoolExecutor committer;
  private boolean started;
  private long lastNanos;
  private long inFlightStep = -1;
  private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

  private CheckpointTrigger() {
    plan = null;
    slices = List.of();
    client = null;
    group = 0;
    store = null;
    committer = null;
  }

  private CheckpointTrigger(CheckpointPlan plan, List<SliceInfo> slices, PsClient client,
      int group) {
    this.plan = plan;
    this.slices = slices;
    this.client = client;
    this.group = group;
    this.store = new CheckpointStore(plan.dir(), CheckpointStore.deserialize(plan.hadoopConf()));
    this.committer = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "spark-ps-checkpoint-commit");
          t.setDaemon(true);
          return t;
        });
    committer.allowCoreThreadTimeOut(true);
  }

  /** Worker 0's trigger when the fit has checkpoints; one that does nothing otherwise. */
  static CheckpointTrigger of(TrainingPlan plan, PsClient client, int worker) {
    CheckpointPlan c = plan.checkpoints();
    if (c == null || worker != 0) {
      return NONE;
    }
    return new CheckpointTrigger(c, plan.layout().copyOf(0).slices(), client, 0);
  }

  /**
   * Called at the start of every step, before it is pushed; {@code settle} waits for the
   * worker's steps in flight, which a checkpoint due at this step must find applied.
   */
  void beforeStep(long step, Runnable settle) {
    if (plan == null) {
      return;
    }
    long now = System.nanoTime();
    if (!started) {
      // The first step a task runs: its state is the one it started from, nothing to save.
      started = true;
      lastNanos = now;
      return;
    }
    CheckpointInterval every = plan.interval();
    boolean due = every.every() == null ? step % every.steps() == 0
        : now - lastNanos >= every.every().toNanos();
    if (!due) {
      return;
    }
    lastNanos = now;
    if (!inFlight.isDone()) {
      LOG.info("Checkpoint of step {} skipped: the one of step {} is still being written",
          step, inFlightStep);
      return;
    }
    settle.run();
    inFlightStep = step;
    inFlight = start(step);
  }

  private CompletableFuture<Void> start(long step) {
    String dir = store.stepDir(step, plan.fitId());
    long begun = System.nanoTime();
    List<CompletableFuture<?>> copied = new ArrayList<>();
    for (SliceInfo s : slices) {
      copied.add(client.checkpoint(s, group, step, dir + "/" + CheckpointManifest.fileName(s)));
    }
    try {
      PsClient.await(CompletableFuture.allOf(copied.toArray(new CompletableFuture[0])),
          client.timeoutMs());
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw e;
      }
      LOG.warn("Checkpoint of step {} abandoned (the previous one stays the latest): {}", step,
          e.toString());
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<?>> written = new ArrayList<>();
    for (SliceInfo s : slices) {
      written.add(client.checkpointWritten(s, dir + "/" + CheckpointManifest.fileName(s)));
    }
    return CompletableFuture.allOf(written.toArray(new CompletableFuture[0]))
        .thenRunAsync(() -> {
          long millis = (System.nanoTime() - begun) / 1_000_000;
          try {
            store.commit(dir, plan.identity().committed(step, plan.fitId(), millis, slices));
            LOG.info("Checkpoint of step {} committed in {} ({} slices written in {} ms)",
                step, dir, slices.size(), millis);
            store.cleanUp();
          } catch (java.io.IOException e) {
            throw new CompletionException(e);
          }
        }, committer)
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null
              ? e.getCause() : e;
          LOG.warn("Checkpoint of step {} abandoned (the previous one stays the latest): {}",
              step, cause.toString());
          return null;
        });
  }

  /**
   * At the end of the training: waits (up to the cluster's timeout) for a checkpoint still
   * being written, so that it is committed before the fit drops its params.
   */
  void finish() {
    if (plan == null) {
      return;
    }
    try {
      inFlight.get(client.timeoutMs(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Checkpoint of step {} not committed within {} ms (spark.ps.rpc.timeout); "
          + "the previous one stays the latest", inFlightStep, client.timeoutMs());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      // Logged where it failed.
    } finally {
      committer.shutdown();
    }
  }
}
