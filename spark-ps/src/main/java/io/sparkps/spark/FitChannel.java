package io.sparkps.spark;

import io.netty.channel.Channel;
import io.sparkps.cluster.AddressExchange;
import io.sparkps.transport.EpochEnd;
import io.sparkps.transport.HostedAt;
import io.sparkps.transport.Message;
import io.sparkps.transport.ProgressReport;
import io.sparkps.transport.RequestHandler;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import java.io.Serializable;
import java.net.InetSocketAddress;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The driver's endpoint of one fit, which its training tasks reach over spark-ps's transport
 * (authenticated with the fit's secret, encrypted when spark.ps.crypto.enabled): workers' {@link
 * ProgressReport}s go to the fit's {@link ProgressTracker}, {@link EpochEnd}s to its epoch-end
 * gate ({@link EpochGates}) when it has one, and, in a fit with co-located servers, {@link
 * HostedAt}s to its {@link AddressExchange}. One per fit; {@link #close()}, with the fit, stops
 * the endpoint, the gate's thread and the exchange.
 */
final class FitChannel implements RequestHandler, AutoCloseable {

  /**
   * What tasks need to reach the channel, shipped with them in the {@link TrainingPlan}.
   *
   * @param address where the driver listens
   * @param intervalMs how often a worker reports within an epoch (spark.ps.progress.interval)
   * @param gated whether workers stop at the epoch-end gate after every epoch
   * @param meters the accumulators the Spark UI shows on the training stage
   */
  record Endpoint(InetSocketAddress address, long intervalMs, boolean gated, Meters meters)
      implements Serializable {}

  /** The fit's named accumulators, which tasks add to step by step. */
  record Meters(LongAccumulator steps, LongAccumulator examples, DoubleAccumulator lossSum)
      implements Serializable {
    static final String STEPS = "spark-ps steps";
    static final String EXAMPLES = "spark-ps examples";
    static final String LOSS_SUM = "spark-ps loss sum";

    static Meters register(org.apache.spark.SparkContext sc) {
      return new Meters(sc.longAccumulator(STEPS), sc.longAccumulator(EXAMPLES),
          sc.doubleAccumulator(LOSS_SUM));
    }
  }

  private final Transport transport;
  private final Channel listening;
  private final Endpoint endpoint;
  private final ProgressTracker progress;
  private final EpochGates gates;
  private AddressExchange exchange;

  private FitChannel(Transport transport, Channel listening, Endpoint endpoint,
      ProgressTracker progress, EpochGates gates) {
    this.transport = transport;
    this.listening = listening;
    this.endpoint = endpoint;
    this.progress = progress;
    this.gates = gates;
  }

  /**
   * Starts listening on {@code bind} at any free port, advertised to tasks as {@code host}.
   *
   * @param gates the fit's epoch-end gate, or null when it has none
   */
  static FitChannel start(String host, String bind, Secret secret, int maxFrameBytes,
      boolean encrypt, long timeoutMs, long intervalMs, Meters meters, ProgressTracker progress,
      EpochGates gates) {
    Transport transport = new Transport("ps-fit-driver", secret, 1, maxFrameBytes, timeoutMs,
        encrypt);
    try {
      FitChannel[] self = new FitChannel[1];
      Channel listening = transport.listen(bind, 0, (peer, m) -> self[0].handle(peer, m));
      int port = ((InetSocketAddress) listening.localAddress()).getPort();
      Endpoint endpoint = new Endpoint(new InetSocketAddress(host, port), intervalMs,
          gates != null, meters);
      self[0] = new FitChannel(transport, listening, endpoint, progress, gates);
      return self[0];
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  /**
   * Starts the address exchange of a co-located fit on this channel.
   *
   * @param serverOf per worker, the server it hosts, or -1
   * @param timeoutMs how long a run waits for its last worker (spark.ps.server.startTimeout)
   */
  synchronized AddressExchange.Endpoint exchangeAddresses(int[] serverOf, long timeoutMs) {
    exchange = AddressExchange.on(transport, endpoint.address(), serverOf, timeoutMs);
    return exchange.endpoint();
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** The epoch-end gate, or null when the fit has none. */
  EpochGates gates() {
    return gates;
  }

  @Override
  public void handle(Channel peer, Message message) {
    if (message instanceof ProgressReport r) {
      progress.report(r);
    } else if (message instanceof EpochEnd e && gates != null) {
      gates.handle(peer, e);
    } else if (message instanceof HostedAt && exchange() != null) {
      exchange().handle(peer, message);
    } else {
      throw new IllegalArgumentException("the driver's endpoint of this fit does not take "
          + message.type());
    }
  }

  private synchronized AddressExchange exchange() {
    return exchange;
  }

  @Override
  public void close() {
    try {
      listening.close().syncUninterruptibly();
    } finally {
      if (gates != null) {
        gates.close();
      }
      transport.close();
    }
  }
}
