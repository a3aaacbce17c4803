package io.sparkps.spark;

import io.sparkps.client.ClusterInfo;
import io.sparkps.config.PsConf;
import io.sparkps.transport.Secret;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;

/**
 * The driver's side of one fit while it trains: its {@link FitChannel} (progress reports, the
 * epoch-end gate, a co-located fit's address exchange), the {@link ProgressTracker} that turns
 * reports into events, and the {@link TrainingEvents} thread that hands them to the trainer's
 * listeners. Started before the training stage, closed with the fit, also when it fails.
 */
final class TrainingMonitor implements AutoCloseable {
  private final TrainingEvents events;
  private final ProgressTracker tracker;
  private final FitChannel channel;
  private final TrainingPlan plan;

  private TrainingMonitor(TrainingEvents events, ProgressTracker tracker, FitChannel channel,
      TrainingPlan plan) {
    this.events = events;
    this.tracker = tracker;
    this.channel = channel;
    this.plan = plan;
  }

  /**
   * Starts listening where the coordinator of separate servers would (spark.ps.coordinator.host
   * and .bindAddress, else the driver's addresses), at a free port, with the fit's secret.
   *
   * @param gate the fit's epoch-end gate, or null when it has none
   * @param elastic whether the workers are elastic (then none waits at the gate)
   * @param examplesPerEpoch examples of one epoch over all workers
   * @return a monitor whose {@link #plan()} is {@code plan} with the channel's endpoint
   */
  static TrainingMonitor start(SparkContext sc, PsConf conf, TrainingPlan plan,
      List<TrainingListener> listeners, EpochGate gate, boolean elastic,
      long examplesPerEpoch) {
    org.apache.spark.SparkConf spark = sc.getConf();
    boolean local = ServerPlacement.isLocal(sc);
    String host = conf.get(PsConf.COORDINATOR_HOST);
    if (host.isEmpty()) {
      host = local ? "127.0.0.1" : spark.get("spark.driver.host", "127.0.0.1");
    }
    String bind = conf.get(PsConf.COORDINATOR_BIND_ADDRESS);
    if (bind.isEmpty()) {
      bind = local ? host : spark.get("spark.driver.bindAddress", host);
    }
    int workers = plan.topology().totalWorkers();
    long intervalMs = conf.get(PsConf.PROGRESS_INTERVAL).toMillis();
    TrainingEvents events = new TrainingEvents(listeners);
    EpochGates gates = gate == null ? null : new EpochGates(gate, workers, elastic);
    ProgressTracker tracker = new ProgressTracker(workers, plan.epochs(), examplesPerEpoch,
        intervalMs, events, gate);
    ClusterInfo info = plan.cluster();
    FitChannel channel;
    try {
      channel = FitChannel.start(host, bind, Secret.fromHex(info.secretHex()),
          info.maxFrameBytes(), info.encrypted(), info.timeoutMs(), intervalMs,
          FitChannel.Meters.register(sc), tracker, gates);
    } catch (RuntimeException e) {
      events.close();
      if (gates != null) {
        gates.close();
      }
      throw e;
    }
    TrainingPlan withChannel = plan.withChannel(channel.endpoint());
    if (plan.colocated()) {
      withChannel = withChannel.withExchange(channel.exchangeAddresses(plan.hostedServers(),
          conf.get(PsConf.SERVER_START_TIMEOUT).toMillis()));
    }
    return new TrainingMonitor(events, tracker, channel, withChannel);
  }

  /** The plan the training tasks get: with where the driver listens. */
  TrainingPlan plan() {
    return plan;
  }

  /** Tells the listeners the fit starts training; its pace counts from now. */
  void fitStarted(String framework, long examplesPerEpoch, Map<String, String> params) {
    tracker.started();
    events.fitStarted(new TrainingStart(framework, plan.topology().totalWorkers(),
        plan.topology().totalServers(), plan.epochs(), plan.stepsPerEpoch(), examplesPerEpoch,
        params));
  }

  void fitEnded(TrainingSummary summary) {
    events.fitEnded(summary);
  }

  /**
   * Elastic workers, between two epochs' stages: whether to run the next, once the gate has
   * decided after {@code epoch}; true at once when the fit has no gate.
   */
  boolean goOnAfter(int epoch) {
    return channel.gates() == null
        || channel.gates().awaitDecision(epoch, plan.cluster().timeoutMs()).goOn();
  }

  /** Stops the channel, then lets the listeners hear the events posted so far. */
  @Override
  public void close() {
    try {
      channel.close();
    } finally {
      events.close();
    }
  }
}
