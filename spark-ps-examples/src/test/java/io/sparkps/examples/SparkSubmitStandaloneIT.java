package io.sparkps.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example jar on a real Spark standalone cluster: the {@code spark-submit} script of the
 * pyspark distribution from PyPI, a master and two workers started on 127.0.0.1 for the test
 * (each worker runs its executor in its own JVM), stopped afterwards.
 */
class SparkSubmitStandaloneIT {
  private static final Path ROOT =
      Path.of(System.getProperty("sparkps.root", "..")).toAbsolutePath();
  private final List<Process> daemons = new ArrayList<>();
  private Path work;
  private Path sparkHome;

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createTempDirectory("spark-standalone-");
    sparkHome = pysparkHome();
    assertTrue(Files.isExecutable(sparkHome.resolve("bin/spark-submit")), sparkHome.toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process d : daemons) {
      d.descendants().forEach(ProcessHandle::destroy);
      d.destroy();
    }
    for (Process d : daemons) {
      if (!d.waitFor(20, TimeUnit.SECONDS)) {
        d.descendants().forEach(ProcessHandle::destroyForcibly);
        d.destroyForcibly();
      }
    }
    try (java.util.stream.Stream<Path> all = Files.walk(work)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** SPARK_HOME of the pyspark distribution from PyPI, which the tests' spark-submit runs. */
  static Path pysparkHome() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", "-c",
        "import os, pyspark; print(os.path.dirname(pyspark.__file__))")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), "pyspark must be installed (pip install pyspark==4.1.0): "
        + out);
    return Path.of(out);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private ProcessBuilder spark(String name, List<String> cmd) {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
        .redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOG_DIR", work.toString());
    env.put("SPARK_WORKER_DIR", work.resolve("worker").toString());
    return pb;
  }

  private String log(String name) throws IOException {
    Path f = work.resolve(name + ".log");
    return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
  }

  private void awaitLog(String name, String text, int times, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      String l = log(name);
      if (l.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " did not log '" + text + "' " + times + "x:\n" + log(name));
  }

  @Test
  void logisticRegressionExampleReachesItsAucOnAStandaloneCluster() throws Exception {
    String sparkClass = sparkHome.resolve("bin/spark-class").toString();
    int port = freePort();
    String master = "spark://127.0.0.1:" + port;
    daemons.add(spark("master", List.of(sparkClass, "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--webui-port", Integer.toString(freePort()))).start());
    awaitLog("master", "I have been elected leader", 1, 60_000);
    for (int w = 0; w < 2; w++) {
      daemons.add(spark("worker" + w, List.of(sparkClass, "org.apache.spark.deploy.worker.Worker",
          "--host", "127.0.0.1", "--cores", "1", "--memory", "2g",
          "--webui-port", Integer.toString(freePort()), master)).start());
    }
    awaitLog("master", "Registering worker", 2, 60_000);

    Path jar = Files.list(ROOT.resolve("spark-ps-examples/target"))
        .filter(p -> p.getFileName().toString().endsWith("-all.jar")).findFirst()
        .orElseThrow(() -> new AssertionError("no spark-ps-examples-*-all.jar: run mvn package"));
    Path data = Path.of(System.getProperty("sparkps.data.dir",
        ROOT.resolveSibling("shared").resolve("data").toString()));
    Process submit = spark("submit", List.of(sparkHome.resolve("bin/spark-submit").toString(),
        "--master", master, "--class", "io.sparkps.examples.LogisticRegressionExample",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.executor.memory=1g",
        "--conf", "spark.ui.enabled=false", jar.toString(),
        "--train", data.resolve("a9a/a9a").toString(),
        "--test", data.resolve("a9a/a9a.t").toString(), "--num-features", "123",
        "--framework", "sandblaster", "--workers", "2", "--epochs", "3")).start();
    daemons.add(submit);
    assertTrue(submit.waitFor(6, TimeUnit.MINUTES), "spark-submit did not finish:\n"
        + log("submit"));
    String out = log("submit");
    assertEquals(0, submit.exitValue(), "spark-submit failed:\n" + out);
    String json = out.lines().filter(l -> l.startsWith("{\"example\"")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no JSON line:\n" + out));
    System.out.println(json);
    assertTrue(json.contains("\"workers\": 2"), json);
    assertTrue(RunExampleIT.number(json, "test_auc") >= 0.89, json);
    assertTrue(log("master").contains("Launching executor") || log("worker0").contains(
        "Asked to launch executor"), "the executors ran on the standalone workers");
    assertTrue(new File(jar.toString()).length() > 0);
  }
}
