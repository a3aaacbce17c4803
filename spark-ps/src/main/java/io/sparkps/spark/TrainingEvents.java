package io.sparkps.spark;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a fit's events to its {@link TrainingListener}s on one driver thread of its own, in the
 * order they were posted, so that neither the network threads that hear the workers nor the
 * training wait for a listener. A listener that throws is logged once and called no more.
 * {@link #close()} lets the events posted so far reach the listeners (a bounded wait), then
 * stops the thread.
 */
final class TrainingEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingEvents.class);
  /** Longest wait in {@link #close()} for listeners still busy with earlier events. */
  private static final long DRAIN_SECONDS = 10;

  private final List<TrainingListener> listeners;
  /** Null without listeners: then nothing runs. */
  private final ExecutorService thread;

  TrainingEvents(List<TrainingListener> listeners) {
    this.listeners = new CopyOnWriteArrayList<>(listeners);
    this.thread = listeners.isEmpty() ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "spark-ps-training-listeners");
      t.setDaemon(true);
      return t;
    });
  }

  boolean hasListeners() {
    return thread != null;
  }

  void fitStarted(TrainingStart start) {
    post("fitStarted", l -> l.fitStarted(start));
  }

  void progressed(TrainingProgress progress) {
    post("progressed", l -> l.progressed(progress));
  }

  void fitEnded(TrainingSummary summary) {
    post("fitEnded", l -> l.fitEnded(summary));
  }

  private void post(String event, Consumer<TrainingListener> call) {
    if (thread == null) {
      return;
    }
    try {
      thread.execute(() -> {
        for (TrainingListener l : listeners) {
          try {
            call.accept(l);
          } catch (RuntimeException | LinkageError e) {
            LOG.warn("Training listener {} threw from {}; it hears no more of this fit", l,
                event, e);
            listeners.remove(l);
          }
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      LOG.debug("Dropped {} posted after the fit's events were closed", event);
    }
  }

  @Override
  public void close() {
    if (thread == null) {
      return;
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("Training listeners still busy {} s after the fit ended; interrupting them",
            DRAIN_SECONDS);
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
