package io.sparkps.spark;

import io.netty.channel.Channel;
import io.sparkps.config.PsException;
import io.sparkps.transport.EpochDecided;
import io.sparkps.transport.EpochEnd;
import io.sparkps.transport.Failure;
import io.sparkps.transport.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of the epoch-end gate: gathers every worker's {@link EpochEnd} of an epoch,
 * sums their figures, has the {@link EpochGate} decide on one thread of its own (not a network
 * thread: it may take a while), and answers every waiting worker. Decisions are kept, so that a
 * task run again that sends an epoch's figures once more is answered at once with the same one.
 *
 * <p>With elastic workers an epoch's tasks do not all run at once (more shards than slots), so
 * none may wait for the others: each is answered as soon as its figures are recorded ({@link
 * EpochDecision#GO_ON}), and the driver, between the stages of two epochs, asks {@link
 * #awaitDecision} whether to run the next.
 */
final class EpochGates implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EpochGates.class);

  /** One epoch's figures so far, who waits for its decision, and the decision once made. */
  private static final class Epoch {
    final double[][] figures;
    final List<Channel> peers = new ArrayList<>();
    final List<Long> requestIds = new ArrayList<>();
    int count;
    boolean deciding;
    EpochDecision decided;
    String failure;

    Epoch(int workers) {
      figures = new double[workers][];
    }
  }

  private final EpochGate gate;
  private final int workers;
  private final boolean answerAtOnce;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "spark-ps-epoch-gate");
    t.setDaemon(true);
    return t;
  });
  private final Map<Integer, Epoch> epochs = new HashMap<>();

  /**
   * @param workers workers whose figures make an epoch's
   * @param answerAtOnce whether workers are answered without waiting for the decision (elastic
   *     workers)
   */
  EpochGates(EpochGate gate, int workers, boolean answerAtOnce) {
    this.gate = gate;
    this.workers = workers;
    this.answerAtOnce = answerAtOnce;
  }

  EpochGate gate() {
    return gate;
  }

  synchronized void handle(Channel peer, EpochEnd m) {
    if (m.worker() < 0 || m.worker() >= workers) {
      refuse(peer, m.requestId(), "worker " + m.worker() + " is not one of the " + workers
          + " workers of this fit");
      return;
    }
    Epoch e = epochs.computeIfAbsent(m.epoch(), k -> new Epoch(workers));
    if (e.decided != null || e.failure != null) {
      answer(peer, m.requestId(), e);
      return;
    }
    double[] first = firstFigures(e);
    if (first != null && first.length != m.figures().length) {
      refuse(peer, m.requestId(), "worker " + m.worker() + " sent " + m.figures().length
          + " figures for epoch " + (m.epoch() + 1) + ", others sent " + first.length);
      return;
    }
    if (e.figures[m.worker()] == null) {
      e.count++;
    }
    e.figures[m.worker()] = m.figures();
    if (answerAtOnce) {
      peer.writeAndFlush(new EpochDecided(m.requestId(), true, false));
    } else {
      e.peers.add(peer);
      e.requestIds.add(m.requestId());
    }
    if (e.count == workers && !e.deciding) {
      e.deciding = true;
      double[] sum = new double[e.figures[0].length];
      for (double[] f : e.figures) {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += f[i];
        }
      }
      int epoch = m.epoch();
      thread.execute(() -> decide(epoch, e, sum));
    }
  }

  private static double[] firstFigures(Epoch e) {
    for (double[] f : e.figures) {
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  private void decide(int epoch, Epoch e, double[] sum) {
    EpochDecision decision = null;
    String failure = null;
    try {
      decision = gate.epochEnded(epoch, sum);
      if (decision == null) {
        failure = "the epoch-end gate decided nothing after epoch " + (epoch + 1);
      }
    } catch (RuntimeException ex) {
      LOG.error("The epoch-end gate failed after epoch {}", epoch + 1, ex);
      failure = "the epoch-end gate failed after epoch " + (epoch + 1) + ": " + ex;
    }
    synchronized (this) {
      e.decided = decision;
      e.failure = failure;
      for (int i = 0; i < e.peers.size(); i++) {
        answer(e.peers.get(i), e.requestIds.get(i), e);
      }
      e.peers.clear();
      e.requestIds.clear();
      notifyAll();
    }
  }

  private static void answer(Channel peer, long requestId, Epoch e) {
    Message m = e.failure != null ? new Failure(requestId, Failure.Kind.FATAL, e.failure)
        : new EpochDecided(requestId, e.decided.goOn(), e.decided.best());
    peer.writeAndFlush(m);
  }

  private static void refuse(Channel peer, long requestId, String why) {
    peer.writeAndFlush(new Failure(requestId, Failure.Kind.FATAL, why));
  }

  /** The decision made after {@code epoch}, or null when it is not made. */
  synchronized EpochDecision decided(int epoch) {
    Epoch e = epochs.get(epoch);
    return e == null ? null : e.decided;
  }

  /**
   * Waits until the decision after {@code epoch} is made, at most {@code timeoutMs}.
   *
   * @throws PsException when the gate failed, or no decision came in time
   */
  synchronized EpochDecision awaitDecision(int epoch, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    try {
      while (true) {
        Epoch e = epochs.get(epoch);
        if (e != null && e.failure != null) {
          throw new PsException(e.failure);
        }
        if (e != null && e.decided != null) {
          return e.decided;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new PsException("no epoch-end decision after epoch " + (epoch + 1) + " within "
              + timeoutMs + " ms (spark.ps.rpc.timeout): " + (e == null ? 0 : e.count) + " of "
              + workers + " workers sent their figures");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new PsException("interrupted while waiting for the epoch-end decision", ex);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
