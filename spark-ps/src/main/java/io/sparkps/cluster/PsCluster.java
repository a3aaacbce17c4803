package io.sparkps.cluster;

import io.netty.channel.Channel;
import io.sparkps.client.ClusterInfo;
import io.sparkps.client.PsClient;
import io.sparkps.config.PsConf;
import io.sparkps.config.PsException;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running set of parameter server processes and the coordinator that watches them, owned by
 * the driver. Long-lived: several trainings reuse it; {@link #close()} (or the driver's exit)
 * stops every server.
 *
 * <pre>{@code
 * try (PsCluster cluster = PsCluster.start(PsConf.defaults(), 2, "127.0.0.1")) {
 *   ClusterInfo info = cluster.info();   // hand this to workers
 * }
 * }</pre>
 */
public final class PsCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PsCluster.class);

  private final Transport transport;
  private final Channel coordinatorChannel;
  private final Coordinator coordinator;
  private final List<Process> processes;
  private final Path workDir;
  private final ClusterInfo info;
  private final AtomicInteger nextParamId = new AtomicInteger(1);
  private final Thread shutdownHook;
  private PsClient client;
  private boolean closed;

  private PsCluster(Transport transport, Channel coordinatorChannel, Coordinator coordinator,
      List<Process> processes, Path workDir, ClusterInfo info) {
    this.transport = transport;
    this.coordinatorChannel = coordinatorChannel;
    this.coordinator = coordinator;
    this.processes = processes;
    this.workDir = workDir;
    this.info = info;
    this.shutdownHook = new Thread(this::close, "ps-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code numServers} server JVMs on this host, bound to {@code host}, and waits until
   * all have registered (up to spark.ps.server.startTimeout).
   */
  public static PsCluster start(PsConf conf, int numServers, String host) {
    Secret secret = Secret.generate(new SecureRandom());
    long timeoutMs = conf.get(PsConf.RPC_TIMEOUT).toMillis();
    int maxFrame = conf.get(PsConf.TRANSPORT_MAX_FRAME_BYTES);
    Transport transport = new Transport("ps-coordinator", secret,
        conf.get(PsConf.TRANSPORT_IO_THREADS), maxFrame, timeoutMs);
    Coordinator coordinator = new Coordinator(numServers);
    List<Process> processes = new ArrayList<>();
    Path workDir = null;
    try {
      Channel channel = transport.listen(host, conf.get(PsConf.COORDINATOR_PORT), coordinator);
      int coordPort = ((InetSocketAddress) channel.localAddress()).getPort();
      workDir = Files.createTempDirectory("spark-ps-");
      ServerLauncher launcher = new ServerLauncher(workDir);
      List<String> javaOptions = Arrays.stream(conf.get(PsConf.SERVER_JAVA_OPTIONS).trim()
          .split("\\s+")).filter(s -> !s.isEmpty()).toList();
      for (int id = 0; id < numServers; id++) {
        List<String> args = List.of("--id", Integer.toString(id),
            "--coordinator", host + ":" + coordPort,
            "--host", host,
            "--port", Integer.toString(conf.get(PsConf.SERVER_PORT) == 0 ? 0
                : conf.get(PsConf.SERVER_PORT) + id),
            "--lease-ms", Long.toString(conf.get(PsConf.LEASE).toMillis()),
            "--heartbeat-ms", Long.toString(conf.get(PsConf.HEARTBEAT_INTERVAL).toMillis()),
            "--timeout-ms", Long.toString(timeoutMs),
            "--max-frame-bytes", Integer.toString(maxFrame),
            "--io-threads", Integer.toString(conf.get(PsConf.TRANSPORT_IO_THREADS)));
        processes.add(launcher.launch(id, args, conf.get(PsConf.SERVER_MEMORY), javaOptions,
            secret.toHex()));
      }
      awaitRegistrations(coordinator, processes, launcher,
          conf.get(PsConf.SERVER_START_TIMEOUT).toMillis());
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (int id = 0; id < numServers; id++) {
        addresses.add(coordinator.address(id));
      }
      ClusterInfo info = new ClusterInfo(addresses, secret.toHex(), timeoutMs, maxFrame);
      LOG.info("Started {} parameter servers: {} (logs in {})", numServers, addresses, workDir);
      return new PsCluster(transport, channel, coordinator, processes, workDir, info);
    } catch (IOException | RuntimeException | InterruptedException e) {
      processes.forEach(Process::destroyForcibly);
      transport.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (e instanceof PsException p) {
        throw p;
      }
      throw new PsException("could not start the parameter servers: " + e, e);
    }
  }

  private static void awaitRegistrations(Coordinator coordinator, List<Process> processes,
      ServerLauncher launcher, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!coordinator.awaitRegistrations(100)) {
      for (int id = 0; id < processes.size(); id++) {
        if (!processes.get(id).isAlive()) {
          throw new PsException("parameter server " + id + " exited with status "
              + processes.get(id).exitValue() + " before registering; its log ends with:\n"
              + launcher.tail(id, 20));
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new PsException("only " + coordinator.registered() + " of " + processes.size()
            + " parameter servers registered within " + timeoutMs
            + " ms (spark.ps.server.startTimeout); server 0's log ends with:\n"
            + launcher.tail(0, 20));
      }
    }
  }

  /** Addresses, secret and limits for workers. */
  public ClusterInfo info() {
    return info;
  }

  public int numServers() {
    return info.servers().size();
  }

  /** The driver's own connections to the servers, opened on first use. */
  public synchronized PsClient client() {
    if (closed) {
      throw new PsException("the parameter server cluster has been stopped");
    }
    if (client == null) {
      client = PsClient.connect(info);
    }
    return client;
  }

  /** Reserves {@code count} consecutive param ids, so that trainings never share a param. */
  public int reserveParamIds(int count) {
    return nextParamId.getAndAdd(count);
  }

  /** Process ids of the server JVMs. */
  public List<Long> serverPids() {
    return processes.stream().map(Process::pid).toList();
  }

  /** True while every server process runs. */
  public boolean isHealthy() {
    return !closed && processes.stream().allMatch(Process::isAlive);
  }

  /** Stops every server (asking first, then forcibly after a grace period) and the coordinator. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: this is the hook.
    }
    if (client != null) {
      client.close();
    }
    coordinator.shutdownAll();
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          LOG.warn("Server process {} did not stop when asked; killing it", p.pid());
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    coordinatorChannel.close();
    transport.close();
    deleteWorkDir();
    LOG.info("Stopped {} parameter servers", processes.size());
  }

  private void deleteWorkDir() {
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("Could not delete {}: {}", workDir, e.toString());
    }
  }
}
