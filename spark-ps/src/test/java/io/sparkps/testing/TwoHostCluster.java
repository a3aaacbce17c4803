package io.sparkps.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark standalone cluster of one master and two workers, each a JVM of its own, whose
 * workers (and so their executors) are two hosts to Spark: 127.0.0.2 and 127.0.0.3, loopback
 * addresses of this machine. Spark places a speculative copy of a task only on another host
 * than the task's, which {@code local-cluster} (one host) never offers. {@link #close()} stops
 * every process it started, executors included, and removes the workers' folders.
 */
public final class TwoHostCluster implements AutoCloseable {
  private static final String[] WORKER_HOSTS = {"127.0.0.2", "127.0.0.3"};

  private final List<Process> processes = new ArrayList<>();
  private final Path work;
  private final String masterUrl;
  private final Thread cleanup = new Thread(this::stopProcesses, "two-host-cluster-cleanup");

  private TwoHostCluster() throws IOException {
    work = Files.createTempDirectory("spark-ps-two-hosts");
    Runtime.getRuntime().addShutdownHook(cleanup);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    masterUrl = "spark://127.0.0.1:" + port;
    start("master", "127.0.0.1", "org.apache.spark.deploy.master.Master", "--host",
        "127.0.0.1", "--port", Integer.toString(port), "--webui-port", "0");
    for (String host : WORKER_HOSTS) {
      start("worker-" + host, host, "org.apache.spark.deploy.worker.Worker", "--host", host,
          "--cores", "1", "--memory", "2g", "--webui-port", "0", "--work-dir",
          work.resolve("work-" + host).toString(), masterUrl);
    }
  }

  /** Starts the cluster; the caller closes it. */
  public static TwoHostCluster start() {
    try {
      return new TwoHostCluster();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void start(String name, String host, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    String opens = System.getProperty("sparkps.test.jvmOpens", "");
    if (!opens.isBlank()) {
      command.addAll(List.of(opens.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_LOCAL_IP", host);
    processes.add(pb.start());
  }

  /** A session on this cluster, two executors of one core; {@code extra} settings added. */
  public SparkSession session(String appName, Map<String, String> extra) {
    SparkSession.Builder builder = SparkSession.builder();
    extra.forEach(builder::config);
    return builder.master(masterUrl)
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.memory", "1g")
        .config("spark.executor.extraClassPath", LocalClusterSpark.executorClassPath())
        .config("spark.executor.extraJavaOptions", System.getProperty("sparkps.test.jvmOpens", ""))
        .config("spark.ps.server.memory", "256m")
        .getOrCreate();
  }

  /** The hosts of the workers' executors. */
  public static List<String> workerHosts() {
    return List.of(WORKER_HOSTS);
  }

  private void stopProcesses() {
    for (Process p : processes) {
      List<ProcessHandle> below = p.descendants().toList();
      p.destroyForcibly();
      below.forEach(ProcessHandle::destroyForcibly);
    }
    for (Process p : processes) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    Trees.delete(work);
  }
}
