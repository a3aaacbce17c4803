package io.sparkps.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LogisticRegressionExample through spark-submit on three hosts of a {@link NetnsCluster}: the
 * driver's and two workers', each with a network interface of its own, so that where the
 * parameter servers run shows in the bytes each host's interface carried. One cluster serves
 * every case. Needs root and iproute2; without them the cases fail, they are not skipped.
 */
class MultiHostIT {
  private static final Path ROOT =
      Path.of(System.getProperty("sparkps.root", "..")).toAbsolutePath();
  private static final String MAIN = "io.sparkps.examples.LogisticRegressionExample";
  private static final String PLACEMENT = "spark.ps.server.placement";
  private static final String SERVER_MAIN = "io.sparkps.server.ServerMain";
  private static final double MIN_AUC = 0.90;
  private static final Duration FIT_TIMEOUT = Duration.ofMinutes(5);

  private static NetnsCluster cluster;
  private static Path jar;
  private static Path data;

  @BeforeAll
  static void startCluster() throws Exception {
    Path sparkHome = SparkSubmitStandaloneIT.pysparkHome();
    try (var files = Files.list(ROOT.resolve("spark-ps-examples/target"))) {
      jar = files.filter(f -> f.getFileName().toString().endsWith("-all.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no spark-ps-examples-*-all.jar: run mvn "
              + "package"));
    }
    data = Path.of(System.getProperty("sparkps.data.dir",
        ROOT.resolveSibling("shared").resolve("data").toString())).resolve("a9a");
    long t0 = System.nanoTime();
    cluster = NetnsCluster.start(sparkHome);
    System.out.printf("NetnsCluster up in %d ms: master %s, workers %s%n",
        (System.nanoTime() - t0) / 1_000_000, cluster.masterUrl(), cluster.workers());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
      assertEquals(List.of(), cluster.leftovers(), "left behind by the cluster");
    }
  }

  /** A fit with the servers on the workers' hosts: the driver's host stays out of push/pull. */
  @ParameterizedTest
  @ValueSource(strings = {"sandblaster", "downpour"})
  void serversOnExecutorsKeepPushAndPullOffTheDriverHost(String framework) throws Exception {
    Fit fit = fit(Map.of(PLACEMENT, "executors"), args(framework));
    String json = fit.assertTrained();
    List<String> hosts = serverHosts(json);
    assertTrue(hosts.size() >= 2, "servers on at least 2 hosts: " + json);
    assertFalse(hosts.contains(cluster.driver().address()),
        "no server on the driver's host " + cluster.driver().address() + ": " + json);
    // Spark's own traffic (tasks, broadcasts, heartbeats) still crosses the driver's host,
    // 0.6-0.8 MB a run; push, pull and backups of 2 epochs in batches of 16 are 6-8 MB a
    // worker host.
    long smallerWorker = Math.min(fit.bytes.get("w1"), fit.bytes.get("w2"));
    assertTrue(fit.bytes.get("drv") < smallerWorker / 4, "the driver's host carried "
        + fit.bytes.get("drv") + " bytes, not under a quarter of the less busy worker's "
        + smallerWorker + ": " + fit.bytes);
  }

  /**
   * The counterpart of the test above, which shows that its byte count can fail: with the
   * servers on the driver, the driver's host carries both workers' push and pull.
   */
  @Test
  void serversOnTheDriverPutPushAndPullOnTheDriverHost() throws Exception {
    Fit fit = fit(driverPlacement(), args("sandblaster"));
    String json = fit.assertTrained();
    assertEquals(List.of(cluster.driver().address()), serverHosts(json), json);
    // The line serversOnExecutorsKeepPushAndPullOffTheDriverHost draws, crossed the other way: the driver's host carries
    // both workers' push/pull. (A worker host may also carry its partition read from the other
    // worker's executor, when its task ran where the partition is not cached.)
    long busierWorker = Math.max(fit.bytes.get("w1"), fit.bytes.get("w2"));
    assertTrue(fit.bytes.get("drv") > busierWorker / 4, "the driver's host, which serves both "
        + "workers, carried " + fit.bytes.get("drv") + " bytes, not more than a quarter of the "
        + "busier worker's " + busierWorker + ": " + fit.bytes);
  }

  @Test
  void serverKilledOnAWorkerHostIsFailedOver() throws Exception {
    Fit fit = fit(Map.of(PLACEMENT, "executors"), args("sandblaster", "--replication", "1",
        "--kill-server-after", "1500"));
    String json = fit.assertTrained();
    assertEquals(1, (int) RunExampleIT.number(json, "server_failures"), json);
    Matcher killed = Pattern.compile("killed parameter server pid (\\d+)")
        .matcher(fit.run.stderr());
    assertTrue(killed.find(), "the example killed no server; " + fit.run.describe());
    String where = fit.seen.get(Long.parseLong(killed.group(1)));
    assertTrue(where != null && !where.split(" ")[1].equals("drv"),
        "the killed server ran on a worker's host: " + where);
  }

  @Test
  void wildcardServerHostFailsBeforeAnyServerStarts() throws Exception {
    Map<String, String> conf = new LinkedHashMap<>(driverPlacement());
    conf.put("spark.ps.server.host", "0.0.0.0");
    // The setting is refused before any job, which needs no executors: not waiting for them
    // keeps a busy machine's executor start-up out of the time measured.
    conf.put("spark.scheduler.minRegisteredResourcesRatio", "0");
    Fit fit = fit(conf, args("sandblaster"), Duration.ofSeconds(90));
    assertNotEquals(0, fit.run.exitCode(), fit.run.describe());
    assertTrue(fit.run.elapsed().toSeconds() < 60, "failed after "
        + fit.run.elapsed().toSeconds() + " s, not at once; " + fit.run.describe());
    String err = fit.run.stderr();
    assertTrue(err.contains("spark.ps.server.host") && err.contains("spark.ps.server.bindAddress"),
        "the error names spark.ps.server.host and spark.ps.server.bindAddress; "
            + fit.run.describe());
    assertTrue(fit.seen.values().stream().noneMatch(p -> p.contains(SERVER_MAIN)),
        "no parameter server was started: " + fit.seen.values());
    assertEquals(List.of(), fit.run.leftovers(), "nothing of the application outlived it");
  }

  @Test
  void wildcardBindAddressWithTheDriverAddressAdvertisedTrains() throws Exception {
    Map<String, String> conf = new LinkedHashMap<>(driverPlacement());
    conf.put("spark.ps.server.bindAddress", "0.0.0.0");
    conf.put("spark.ps.server.host", cluster.driver().address());
    fit(conf, args("sandblaster")).assertTrained();
  }

  @Test
  void encryptedTransportTrainsAcrossHosts() throws Exception {
    fit(Map.of(PLACEMENT, "executors", "spark.ps.crypto.enabled", "true"), args("sandblaster"))
        .assertTrained();
  }

  /** One spark-submit, what each host's interface carried meanwhile, and the processes seen. */
  private record Fit(SparkSubmitRun run, Map<String, Long> bytes, Map<Long, String> seen) {
    /** Asserts exit code 0, the AUC, and that nothing outlived it; returns the JSON line. */
    String assertTrained() {
      assertEquals(0, run.exitCode(), run.describe());
      String json = run.json();
      assertTrue(RunExampleIT.number(json, "test_auc") >= MIN_AUC, "test AUC under " + MIN_AUC
          + ": " + json);
      assertEquals(List.of(), run.leftovers(), "processes of the application outlived it");
      return json;
    }
  }

  private static Fit fit(Map<String, String> conf, List<String> args) throws Exception {
    return fit(conf, args, FIT_TIMEOUT);
  }

  private static Fit fit(Map<String, String> conf, List<String> args, Duration timeout)
      throws Exception {
    Map<String, String> all = new LinkedHashMap<>();
    // a9a (2.3 MB) in two file splits, one per worker: without a repartition's shuffle to
    // draw both partitions to one executor, each worker host trains on one of them.
    all.put("spark.sql.files.maxPartitionBytes", "1200000");
    all.putAll(conf);
    Map<String, Long> before = cluster.bytes();
    SparkSubmitRun run = cluster.submit(jar, MAIN, all, args);
    Map<Long, String> seen = new TreeMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (run.isAlive() && System.nanoTime() < deadline) {
      for (String p : cluster.processes()) {
        seen.putIfAbsent(Long.parseLong(p.split(" ", 2)[0]), p);
      }
      Thread.sleep(250);
    }
    run.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    Map<String, Long> bytes = new LinkedHashMap<>();
    cluster.bytes().forEach((role, after) -> bytes.put(role, after - before.get(role)));
    System.out.printf("%s %s: exit %d in %.1f s, bytes through each host's interface %s%n%s%n",
        args.get(args.indexOf("--framework") + 1), conf, run.exitCode(),
        run.elapsed().toMillis() / 1000.0, bytes,
        run.stdout().isBlank() ? "(no stdout)" : SparkSubmitRun.tail(run.stdout(), 1).trim());
    return new Fit(run, bytes, seen);
  }

  private static List<String> args(String framework, String... extra) {
    List<String> args = new ArrayList<>(List.of("--train",
        data.resolve("a9a").toString(), "--test", data.resolve("a9a.t").toString(),
        "--num-features", "123", "--framework", framework, "--workers", "2", "--servers", "2",
        "--epochs", "2", "--batch-size", "16"));
    args.addAll(List.of(extra));
    return args;
  }

  /** Servers on the driver's host. */
  private static Map<String, String> driverPlacement() {
    return Map.of(PLACEMENT, "driver");
  }

  /** The JSON line's "server_hosts" list. */
  private static List<String> serverHosts(String json) {
    Matcher m = Pattern.compile("\"server_hosts\": \\[([^\\]]*)\\]").matcher(json);
    assertTrue(m.find(), "server_hosts missing in " + json);
    return Pattern.compile(",").splitAsStream(m.group(1)).map(s -> s.trim().replace("\"", ""))
        .filter(s -> !s.isEmpty()).distinct().toList();
  }
}
