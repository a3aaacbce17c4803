package io.sparkps.examples;

import io.sparkps.examples.NetnsNetwork.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on three hosts of a {@link NetnsNetwork}: the master (and the
 * drivers of {@link #submit}) on host {@code drv}, a worker of 2 cores and 3 GB on each of
 * {@code w1} and {@code w2}. Every Spark process gets {@code SPARK_LOCAL_IP} and {@code
 * SPARK_LOCAL_HOSTNAME} set to its host's address, so Spark names hosts by these addresses;
 * ports are fixed (7077 for the master), as each host has its own. The Spark distribution is
 * {@code sparkHome} (pyspark's from PyPI in the tests); logs, work and temporary folders of
 * all of its processes live in one folder of this cluster.
 *
 * <p>{@link #close()} — also run by a shutdown hook, and by {@link #start} when setup fails
 * half way — stops every process on the hosts (Spark daemons, drivers, executors, parameter
 * servers: whatever ran there), deletes the namespaces and the folder.
 */
final class NetnsCluster implements AutoCloseable {
  private static final int MASTER_PORT = 7077;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path sparkHome;
  private final Path work;
  private final Set<Long> daemonPids = new HashSet<>();
  private final Thread hook = new Thread(this::tearDown, "netns-cluster-cleanup");
  private NetnsNetwork network;
  private boolean tornDown;

  private NetnsCluster(Path sparkHome) throws IOException {
    this.sparkHome = sparkHome;
    work = Files.createTempDirectory("sps-netns-");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Builds the network and starts the master and both workers, waiting until both workers
   * have registered.
   *
   * @throws IllegalStateException when not run as root, without {@code ip netns}, or when a
   *     step fails; everything made so far is removed first
   */
  static NetnsCluster start(Path sparkHome) throws IOException {
    NetnsCluster c = new NetnsCluster(sparkHome);
    try {
      c.network = NetnsNetwork.create(List.of("drv", "w1", "w2"));
      c.startSpark();
      return c;
    } catch (RuntimeException | IOException | Error e) {
      c.close();
      throw e;
    }
  }

  Host driver() {
    return network.hosts().get(0);
  }

  List<Host> workers() {
    return network.hosts().subList(1, 3);
  }

  String masterUrl() {
    return "spark://" + driver().address() + ":" + MASTER_PORT;
  }

  /** Bytes received plus sent so far by each host's interface, by role (drv, w1, w2). */
  Map<String, Long> bytes() {
    return network.bytes();
  }

  /** Every process on the three hosts now, as "pid role command line". */
  List<String> processes() {
    return network.processes();
  }

  /**
   * Starts {@code spark-submit} of {@code jar}'s {@code mainClass} on the driver's host in
   * client mode, with {@code conf} over this cluster's settings. The jar is given as {@code
   * local:}, so executors load it from the shared disk instead of fetching its 100+ MB from
   * the driver, which would swamp the byte counters.
   */
  SparkSubmitRun submit(Path jar, String mainClass, Map<String, String> conf, List<String> args)
      throws IOException {
    requireDaemonsAlive();
    Path tmp = work.resolve("tmp");
    Map<String, String> all = new LinkedHashMap<>();
    all.put("spark.driver.host", driver().address());
    all.put("spark.driver.bindAddress", driver().address());
    all.put("spark.ui.enabled", "false");
    all.put("spark.executor.memory", "1g");
    all.put("spark.executor.cores", "2");
    // Both executors must be there before the first job, or one host may get all the tasks
    // (and spark-ps counts too few task slots); on a busy machine they take over Spark's 30 s.
    all.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    all.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
    all.put("spark.driver.extraJavaOptions", "-Djava.io.tmpdir=" + tmp);
    all.put("spark.executor.extraJavaOptions", "-Djava.io.tmpdir=" + tmp);
    all.putAll(conf);
    List<String> cmd = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-submit").toString(),
        "--master", masterUrl(), "--deploy-mode", "client", "--class", mainClass));
    all.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    cmd.add("local:" + jar.toAbsolutePath());
    cmd.addAll(args);
    Path dir = Files.createTempDirectory(work.resolve("runs"), "submit-");
    ProcessBuilder pb = launcher(driver(), cmd)
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile());
    return new SparkSubmitRun(this, pb.start(), dir, String.join(" ", cmd));
  }

  /**
   * Waits until only the master and the workers are left on the hosts (executors and
   * parameter servers of finished applications gone); kills whatever is still there after
   * {@code timeout} and returns it, as "pid role command line".
   */
  List<String> awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> extra;
    while (!(extra = nonDaemons()).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    for (String p : extra) {
      ProcessHandle.of(Long.parseLong(p.split(" ", 2)[0]))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
    return extra;
  }

  private List<String> nonDaemons() {
    return processes().stream()
        .filter(p -> !daemonPids.contains(Long.parseLong(p.split(" ", 2)[0]))).toList();
  }

  /**
   * What is left of this cluster on the machine after {@link #close()}: see {@link
   * NetnsNetwork#leftovers()}, and processes naming the cluster's folder, and the folder.
   * Empty when the cleanup was complete.
   */
  List<String> leftovers() {
    List<String> out = new ArrayList<>(network == null ? List.of() : network.leftovers());
    NetnsNetwork.allProcesses().forEach((pid, cmd) -> {
      if (cmd.contains(work.toString()) && pid != ProcessHandle.current().pid()) {
        out.add("process " + pid + " " + cmd);
      }
    });
    if (Files.exists(work)) {
      out.add("folder " + work);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      tearDown();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
  }

  private synchronized void tearDown() {
    if (tornDown) {
      return;
    }
    tornDown = true;
    try {
      if (network != null) {
        network.close();
      }
    } finally {
      deleteTree(work);
    }
  }

  private void startSpark() throws IOException {
    for (String dir : List.of("conf", "tmp", "logs", "runs")) {
      Files.createDirectories(work.resolve(dir));
    }
    String sparkClass = sparkHome.resolve("bin/spark-class").toString();
    daemon(driver(), "master", List.of(sparkClass, "org.apache.spark.deploy.master.Master",
        "--host", driver().address(), "--port", Integer.toString(MASTER_PORT),
        "--webui-port", "8080"));
    awaitLog("master", "I have been elected leader", 1);
    for (Host w : workers()) {
      daemon(w, "worker-" + w.role(), List.of(sparkClass,
          "org.apache.spark.deploy.worker.Worker", "--host", w.address(), "--cores", "2",
          "--memory", "3g", "--webui-port", "8081",
          "--work-dir", work.resolve("work-" + w.role()).toString(), masterUrl()));
    }
    awaitLog("master", "Registering worker", 2);
  }

  private void daemon(Host host, String name, List<String> command) throws IOException {
    Process p = launcher(host, command).redirectErrorStream(true)
        .redirectOutput(work.resolve("logs").resolve(name + ".log").toFile()).start();
    daemonPids.add(p.pid()); // ip netns exec, spark-class: each execs the next, same pid
  }

  /** {@code command} to run on {@code host}, with Spark's environment for that host only. */
  private ProcessBuilder launcher(Host host, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(host.ns().exec(command)).directory(work.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("PYSPARK_"));
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SPARK_CONF_DIR", work.resolve("conf").toString());
    env.put("SPARK_LOCAL_IP", host.address());
    env.put("SPARK_LOCAL_HOSTNAME", host.address());
    env.put("SPARK_LOG_DIR", work.resolve("logs").toString());
    env.put("SPARK_LOCAL_DIRS", work.resolve("local-" + host.role()).toString());
    env.put("SPARK_DAEMON_MEMORY", "512m");
    env.put("SPARK_DAEMON_JAVA_OPTS", "-Djava.io.tmpdir=" + work.resolve("tmp"));
    env.put("TMPDIR", work.resolve("tmp").toString());
    return pb;
  }

  private void awaitLog(String name, String text, int times) throws IOException {
    Path log = work.resolve("logs").resolve(name + ".log");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String l = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      if (l.split(Pattern.quote(text), -1).length - 1 >= times) {
        return;
      }
      requireDaemonsAlive();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the " + name, e);
      }
    }
    throw new IllegalStateException("the " + name + " did not log '" + text + "' " + times
        + "x in " + START_TIMEOUT.toSeconds() + " s; logs:\n" + logTails());
  }

  private void requireDaemonsAlive() {
    for (long pid : daemonPids) {
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw new IllegalStateException("a Spark daemon (pid " + pid + ") has exited; logs:\n"
            + logTails());
      }
    }
  }

  /** The last lines of the master's and workers' logs, for error messages. */
  private String logTails() {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> logs = Files.list(work.resolve("logs"))) {
      for (Path log : logs.sorted().toList()) {
        out.append("== ").append(log.getFileName()).append('\n')
            .append(SparkSubmitRun.tail(Files.readString(log, StandardCharsets.UTF_8), 30));
      }
    } catch (IOException e) {
      out.append(e);
    }
    return out.toString();
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
