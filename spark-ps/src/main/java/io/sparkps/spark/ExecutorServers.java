package io.sparkps.spark;

import io.sparkps.cluster.ServerLauncher;
import io.sparkps.cluster.ServerStarter;
import io.sparkps.config.ConfUnits;
import io.sparkps.config.PsConf;
import io.sparkps.config.PsException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.storage.BlockManagerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * Starts each server through Spark, on the cluster's hosts: a job of one long-running task,
 * preferring the executor host that holds the fewest servers, whose task launches the server
 * JVM beside its executor and waits for it to end. The task holds one task slot for the
 * server's life; with dynamic allocation it runs under a {@link ResourceProfile} of its own,
 * so the cluster manager gives each server an executor with {@code spark.ps.server.cores}
 * cores and room for {@code spark.ps.server.memory} (as memory overhead, since the server is
 * a process of its own beside the executor's JVM).
 *
 * <p>A server exits with its executor ({@code --parent-pid}), and its task ends with it: a
 * killed server's task returns its exit status, which the coordinator takes as the server's
 * loss at once; a lost executor loses its server, which the coordinator notices by the
 * missing heartbeats. Spark's retry of a task whose executor was lost starts no server: the
 * coordinator has already started a replacement under a new id.
 */
final class ExecutorServers implements ServerStarter {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorServers.class);
  /** A JVM's memory beyond its heap: metaspace, thread stacks, Netty's direct buffers. */
  private static final long JVM_OVERHEAD_MIB = 384;

  private final SparkContext sc;
  private final String bindAddress;
  private final ResourceProfile profile;
  private final long startTimeoutMs;
  private final String jobGroup;
  private final Map<Integer, String> hostOf = new ConcurrentHashMap<>();
  private final Map<Integer, ServerExit> ended = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<Integer>> running = new ConcurrentHashMap<>();
  private final List<Thread> jobs = new ArrayList<>();
  private volatile Runnable clusterStopping = () -> { };

  /** How a server's task ended: the server's exit status, its host, the end of its log. */
  record ServerExit(int status, String host, String logTail) implements Serializable {}

  ExecutorServers(SparkContext sc, PsConf conf, String bindAddress, boolean ownExecutors) {
    this.sc = sc;
    this.bindAddress = bindAddress;
    this.startTimeoutMs = conf.get(PsConf.SERVER_START_TIMEOUT).toMillis();
    this.jobGroup = "spark-ps-servers-" + sc.applicationId();
    this.profile = ownExecutors ? profile(conf) : null;
  }

  /** One executor per server: its cores, a small heap, and the server JVM as overhead. */
  private static ResourceProfile profile(PsConf conf) {
    int cores = conf.get(PsConf.SERVER_CORES);
    long heapMiB = ConfUnits.parseJvmMemory(conf.get(PsConf.SERVER_MEMORY)) >> 20;
    return new ResourceProfileBuilder()
        .require(new ExecutorResourceRequests().cores(cores).memory("512m")
            .memoryOverhead(Long.toString(heapMiB + JVM_OVERHEAD_MIB) + "m"))
        .require(new TaskResourceRequests().cpus(cores))
        .build();
  }

  /** Returns at once (it may be called on the coordinator's thread); the job's thread waits. */
  @Override
  public synchronized Started start(int id, int port, Spec spec) {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    running.put(id, exit);
    exit.whenComplete((s, e) -> {
      hostOf.remove(id);
      running.remove(id);
    });
    Thread job = new Thread(() -> run(id, port, spec, exit), "ps-server-job-" + id);
    job.setDaemon(true);
    jobs.add(job);
    job.start();
    return new Started(id, exit, "a Spark task of job group " + jobGroup);
  }

  private void run(int id, int port, Spec spec, CompletableFuture<Integer> exit) {
    // Job groups are per thread: this one's, so that close() cancels every server's task.
    sc.setJobGroup(jobGroup, "spark-ps parameter server " + id, true);
    try {
      String host;
      synchronized (hostOf) {
        host = leastUsedHost();
        if (host != null) {
          hostOf.put(id, host);
        }
      }
      List<Tuple2<Integer, scala.collection.immutable.Seq<String>>> one = List.of(
          new Tuple2<>(id, scala.jdk.javaapi.CollectionConverters.asScala(
              host == null ? List.<String>of() : List.of(host)).toList()));
      JavaRDD<Integer> rdd = JavaRDD.fromRDD(sc.makeRDD(
          scala.jdk.javaapi.CollectionConverters.asScala(one).toSeq(),
          ClassTag$.MODULE$.apply(Integer.class)), ClassTag$.MODULE$.apply(Integer.class));
      if (profile != null) {
        rdd = rdd.withResources(profile);
      }
      ServerExit e = rdd.map(new ServerTask(port, spec, bindAddress)).collect().get(0);
      ended.put(id, e);
      exit.complete(e.status());
    } catch (Throwable t) {
      if (sc.isStopped()) {
        // The SparkContext is stopping and cancelled the task: not a server failure.
        clusterStopping.run();
      }
      exit.completeExceptionally(new PsException("its Spark task failed: " + rootCause(t), t));
    }
  }

  private static String rootCause(Throwable t) {
    String first = String.valueOf(t.getMessage());
    return first.lines().findFirst().orElse(first);
  }

  /**
   * The executor host with the fewest of this cluster's running servers, waiting for a first
   * executor up to spark.ps.server.startTimeout; null if none (or the driver is the only
   * executor, under a local master).
   */
  private String leastUsedHost() {
    if (sc.isLocal()) {
      return null;
    }
    List<String> hosts = executorHosts();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMs);
    while (hosts.isEmpty() && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      hosts = executorHosts();
    }
    Map<String, Integer> load = new TreeMap<>();
    hosts.forEach(h -> load.put(h, 0));
    hostOf.values().forEach(h -> load.computeIfPresent(h, (k, n) -> n + 1));
    return load.entrySet().stream().min(Comparator.comparingInt(Map.Entry::getValue))
        .map(Map.Entry::getKey).orElse(null);
  }

  /** Hosts of the executors (not the driver) there are now. */
  private List<String> executorHosts() {
    SparkStatusTracker tracker = sc.statusTracker();
    BlockManagerId driver = SparkEnv.get().blockManager().blockManagerId();
    return Arrays.stream(tracker.getExecutorInfos())
        .filter(e -> !(e.host().equals(driver.host()) && e.port() == driver.port()))
        .map(e -> e.host()).distinct().sorted().toList();
  }

  @Override
  public void onStoppedOutside(Runnable clusterStopping) {
    this.clusterStopping = clusterStopping;
  }

  @Override
  public String tail(int id, int lines) {
    ServerExit e = ended.get(id);
    if (e == null) {
      return "(the log of a server on an executor is in that executor's Spark local folder;"
          + " its task's log in the Spark UI says where)";
    }
    List<String> all = e.logTail().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  @Override
  public String logs() {
    return "the Spark local folders of the executors (job group " + jobGroup + ")";
  }

  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (CompletableFuture<Integer> exit : List.copyOf(running.values())) {
      long left = deadline - System.nanoTime();
      try {
        exit.get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // Still running, or ended badly: the tasks are cancelled below either way.
      }
    }
    if (!running.isEmpty() && !sc.isStopped()) {
      LOG.warn("{} parameter servers did not stop when asked; cancelling their tasks",
          running.size());
      sc.cancelJobGroup(jobGroup);
    }
    for (Thread job : jobs) {
      try {
        job.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The task that runs one server: launches the server JVM beside this executor, advertising
   * the executor's host, and waits for it to end. Killed (its job cancelled), it stops the
   * server first. Run again by Spark after its executor was lost, it starts nothing.
   */
  static final class ServerTask implements Function<Integer, ServerExit> {
    private static final long serialVersionUID = 1L;
    private final int port;
    private final Spec spec;
    private final String bindAddress;

    ServerTask(int port, Spec spec, String bindAddress) {
      this.port = port;
      this.spec = spec;
      this.bindAddress = bindAddress;
    }

    @Override
    public ServerExit call(Integer id) throws Exception {
      String host = SparkEnv.get().blockManager().blockManagerId().host();
      if (TaskContext.get().attemptNumber() > 0) {
        return new ServerExit(-1, host, "its first task attempt was lost (with its executor);"
            + " the coordinator replaces a lost server itself");
      }
      Path dir = Files.createTempDirectory(Path.of(SparkFiles.getRootDirectory()),
          "ps-server-" + id + "-");
      ServerLauncher launcher = new ServerLauncher(dir);
      List<String> args = new ArrayList<>(List.of("--id", Integer.toString(id),
          "--port", Integer.toString(port), "--host", host,
          "--bind", bindAddress.isEmpty() ? host : bindAddress,
          "--parent-pid", Long.toString(ProcessHandle.current().pid())));
      args.addAll(spec.args());
      Process p = launcher.launch(id, args, spec.memory(), spec.javaOptions(),
          spec.secretHex(), spec.hadoopConf());
      LOG.info("Started parameter server {} on {} (pid {}); its log: {}", id, host, p.pid(),
          launcher.logFile(id));
      try {
        int status = p.waitFor();
        String tail = status == 0 ? "" : launcher.tail(id, 40);
        if (status != 0) {
          LOG.warn("Parameter server {} (pid {}) exited with status {}; its log ends with:\n{}",
              id, p.pid(), status, tail);
        }
        return new ServerExit(status, host, tail);
      } catch (InterruptedException e) {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        throw e;
      } finally {
        if (!p.isAlive()) {
          ServerLauncher.deleteTree(dir);
        }
      }
    }
  }
}
