package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.InvalidConfigException;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.param.SliceInfo;
import io.sparkps.param.Slicer;
import io.sparkps.transport.InstallSlice;
import io.sparkps.server.SliceFiles;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import io.sparkps.testing.Trees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints of real fits: separate server JVMs write them, a driver killed with SIGKILL is
 * run again and resumes, incomplete checkpoints are passed over, another model's refused.
 * Sandblaster with SGD and a fixed seed is deterministic, so a checkpoint (or a resumed fit)
 * holding the weights of an undisturbed fit to 1e-4 lost and repeated no step.
 */
class CheckpointTest {
  static final String LEASE = "5s";
  /** Steps per epoch: 600 rows per worker in batches of 10. */
  private static final int STEPS_PER_EPOCH = 60;
  private static final int EPOCHS = 4;
  /**
   * Epochs of the fit whose driver is killed: long enough to go on training after its first
   * checkpoint, whose server JVMs load Hadoop's FileSystem classes first (seconds).
   */
  static final int KILLED_EPOCHS = 8;
  private Path dir;

  /** The fit every test makes: 240 steps, a checkpoint every 60 (at the start of an epoch). */
  static PSTrainer trainer() {
    return new PSTrainer().setFramework("sandblaster").setNumWorkers(2).setNumServers(2)
        .setOptimizer("sgd").setStepSize(0.1).setBatchSize(10).setMaxEpochs(EPOCHS)
        .setSeed(7).setModel(new PacedModel(5)).setCheckpointInterval(STEPS_PER_EPOCH);
  }

  /** 1200 rows of 30 features in 2 partitions: the same in every JVM. */
  static Dataset<Row> data(SparkSession spark) {
    return TestData.generated(spark, 1200, 30, 3, 2);
  }

  static String weightsText(PSTrainerModel model) {
    return Arrays.stream(model.paramValues()).map(p -> {
      StringBuilder b = new StringBuilder();
      for (float f : p) {
        b.append(f).append(' ');
      }
      return b.toString().trim();
    }).collect(Collectors.joining("\n"));
  }

  @BeforeEach
  void makeDir() throws IOException {
    dir = Files.createTempDirectory("spark-ps-ckpt-");
  }

  @AfterEach
  void deleteDir() {
    Trees.delete(dir);
  }

  private List<Path> committed() throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> Files.exists(p.resolve("MANIFEST")))
          .sorted(Comparator.comparing(p -> step(p))).toList();
    }
  }

  private static long step(Path stepDir) {
    return Long.parseLong(stepDir.getFileName().toString().split("-")[1]);
  }

  private static CheckpointManifest manifest(Path stepDir) throws IOException {
    return CheckpointManifest.parse(Files.readString(stepDir.resolve("MANIFEST")),
        stepDir.toString());
  }

  @Test
  void aFitWritesConsistentCheckpointsAndKeepsTheLastTwo() throws Exception {
    SparkSession spark = SharedSpark.get();
    PSTrainerModel model = trainer().setCheckpointDir(dir.toString()).fit(data(spark));
    assertNull(model.summary().resumedFromStep());

    List<Path> kept = committed();
    assertEquals(2, kept.size(), "committed checkpoints kept: " + kept);
    try (Stream<Path> all = Files.list(dir)) {
      assertEquals(2, all.count(), "older and incomplete checkpoints are deleted");
    }
    Path last = kept.get(1);
    CheckpointManifest m = manifest(last);
    assertEquals((EPOCHS - 1) * STEPS_PER_EPOCH, m.step());
    assertEquals(step(last), m.step());

    // A checkpoint at the start of the last epoch holds the weights of a fit one epoch shorter.
    PSTrainerModel shorter = trainer().setMaxEpochs(EPOCHS - 1).fit(data(spark));
    float[][] expected = shorter.paramValues();
    float[][] saved = new float[expected.length][];
    for (int p = 0; p < expected.length; p++) {
      saved[p] = new float[expected[p].length];
    }
    for (SliceInfo s : Slicer.slice(new BinaryLogisticRegression().params(30), 2, 1).slices()) {
      InstallSlice copy = SliceFiles.read(last.resolve(m.fileOf(s)), s.length());
      System.arraycopy(copy.values(), 0, saved[s.param()], (int) s.offset(), s.length());
      assertEquals(m.step(), copy.groupSteps()[0], "next step of the slice in the checkpoint");
    }
    Weights.assertSame(expected, saved, "checkpoint of step " + m.step());
  }

  @Test
  void anIncompleteNewerCheckpointIsPassedOverForTheLastCommittedOne() throws Exception {
    SparkSession spark = SharedSpark.get();
    trainer().setMaxEpochs(2).setCheckpointDir(dir.toString()).fit(data(spark));
    Path good = committed().get(committed().size() - 1);
    long goodStep = step(good);
    // What a writer killed mid-write leaves: one slice file renamed, one half written, no
    // manifest; and a directory of a later step that has nothing yet.
    Path torn = Files.createDirectory(dir.resolve("step-" + (goodStep + 1000) + "-dead"));
    Files.copy(good.resolve("p0-s0.slice"), torn.resolve("p0-s0.slice"));
    byte[] half = Files.readAllBytes(good.resolve("p0-s1.slice"));
    Files.write(torn.resolve("_tmp.p0-s1.slice.1234"), Arrays.copyOf(half, half.length / 2));
    Files.createDirectory(dir.resolve("step-" + (goodStep + 2000) + "-beef"));

    PSTrainerModel resumed = trainer().setMaxEpochs(2).setCheckpointDir(dir.toString())
        .fit(data(spark));
    assertEquals(goodStep, resumed.summary().resumedFromStep());
  }

  @Test
  void aCheckpointOfAnotherModelShapeIsRefusedSayingWhatDiffers() throws Exception {
    SparkSession spark = SharedSpark.get();
    trainer().setMaxEpochs(2).setCheckpointDir(dir.toString()).fit(data(spark));
    assertFalse(committed().isEmpty());

    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> trainer()
        .setMaxEpochs(2).setCheckpointDir(dir.toString())
        .fit(TestData.generated(spark, 1200, 31, 3, 2)));
    assertEquals("checkpointDir", e.setting());
    assertTrue(e.getMessage().contains("was written for param 0 (weights) of shape 30x1, this "
        + "fit's is 31x1"), e.getMessage());
    assertTrue(e.getMessage().contains(committed().get(committed().size() - 1).getFileName()
        .toString()), e.getMessage());
  }

  @Test
  void checkpointsAreRefusedWhereTheyCannotBeWrittenBeforeAnythingStarts() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> tiny = TestData.generated(spark, 100, 4, 6, 2);
    InvalidConfigException colocated = assertThrows(InvalidConfigException.class,
        () -> new PSTrainer().setFramework("allreduce").setNumWorkers(2)
            .setCheckpointDir(dir.toString()).fit(tiny));
    assertEquals("checkpointDir", colocated.setting());
    assertTrue(colocated.getMessage().contains("co-located"), colocated.getMessage());

    InvalidConfigException interval = assertThrows(InvalidConfigException.class,
        () -> new PSTrainer().setNumWorkers(2).setCheckpointDir(dir.toString())
            .setCheckpointInterval("0").fit(tiny));
    assertEquals("checkpointInterval", interval.setting());

    InvalidConfigException scheme = assertThrows(InvalidConfigException.class,
        () -> new PSTrainer().setNumWorkers(2).setCheckpointDir("nosuchfs://x/y").fit(tiny));
    assertEquals("checkpointDir", scheme.setting());
    assertTrue(scheme.getMessage().contains("nosuchfs"), scheme.getMessage());

    spark.conf().set("spark.ps.checkpoint.dir", dir.toString());
    try {
      InvalidConfigException key = assertThrows(InvalidConfigException.class,
          () -> new PSTrainer().setFramework("inmemory-hogwild").setNumWorkers(2).fit(tiny));
      assertEquals("spark.ps.checkpoint.dir", key.setting());
    } finally {
      spark.conf().unset("spark.ps.checkpoint.dir");
    }
  }

  /**
   * Kills the driver (SIGKILL) once a checkpoint is committed, while it goes on training; runs
   * the same application again with the same directory: it resumes from a checkpoint and ends
   * with the weights of an undisturbed fit.
   */
  @Test
  void aDriverKilledMidFitIsRunAgainAndResumesToTheSameWeights() throws Exception {
    Path weights = dir.resolve("weights.txt");
    Path ckpt = dir.resolve("ckpt");
    Process first = driver(ckpt, weights);
    List<ProcessHandle> servers = new ArrayList<>();
    StringBuilder firstOut = new StringBuilder();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(),
          StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && servers.isEmpty()) {
        firstOut.append(line).append('\n');
        if (line.startsWith("SERVER_PIDS ")) {
          for (String pid : line.substring(12).split(",")) {
            ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(servers::add);
          }
        }
      }
      assertEquals(2, servers.size(), () -> "driver output:\n" + firstOut);
      drain(out, firstOut);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!anyCommitted(ckpt)) {
        assertTrue(first.isAlive(), () -> "the driver ended before a checkpoint:\n" + firstOut);
        assertTrue(System.nanoTime() < deadline, "no checkpoint within 60 s");
        Thread.sleep(10);
      }
      Thread.sleep(new Random().nextInt(300));
      assertTrue(first.isAlive(), "the fit ended before the driver could be killed");
      first.destroyForcibly();
      assertTrue(first.waitFor(10, TimeUnit.SECONDS));
      for (ProcessHandle s : servers) {
        s.onExit().get(15, TimeUnit.SECONDS);
      }
      assertFalse(Files.exists(weights), "the first driver should not have finished");

      Process second = driver(ckpt, weights);
      StringBuilder secondOut = new StringBuilder();
      try {
        drain(new BufferedReader(new InputStreamReader(second.getInputStream(),
            StandardCharsets.UTF_8)), secondOut).join(120_000);
        assertTrue(second.waitFor(10, TimeUnit.SECONDS), "second driver still runs");
      } finally {
        second.destroyForcibly();
      }
      String output = secondOut.toString();
      assertEquals(0, second.exitValue(), output);
      java.util.regex.Matcher resumed = java.util.regex.Pattern
          .compile("Resuming from checkpoint step (\\d+) in ").matcher(output);
      assertTrue(resumed.find(), output);
      assertTrue(output.contains("RESUMED_FROM " + resumed.group(1)), output);
      assertTrue(Long.parseLong(resumed.group(1)) > 0);
      // The workers skipped the checkpoint's steps instead of sending them again.
      assertTrue(output.contains("FIRST_STEPS " + resumed.group(1) + "," + resumed.group(1)),
          output);

      float[][] expected = trainer().setMaxEpochs(KILLED_EPOCHS).fit(data(SharedSpark.get()))
          .paramValues();
      String[] lines = Files.readString(weights).split("\n");
      float[][] actual = new float[lines.length][];
      for (int p = 0; p < lines.length; p++) {
        String[] v = lines[p].trim().split(" ");
        actual[p] = new float[v.length];
        for (int i = 0; i < v.length; i++) {
          actual[p][i] = Float.parseFloat(v[i]);
        }
      }
      Weights.assertSame(expected, actual, "resumed from step " + resumed.group(1));
    } finally {
      first.destroyForcibly();
      servers.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean anyCommitted(Path ckpt) throws IOException {
    if (!Files.isDirectory(ckpt)) {
      return false;
    }
    try (Stream<Path> all = Files.list(ckpt)) {
      return all.anyMatch(p -> Files.exists(p.resolve("MANIFEST")));
    }
  }

  /**
   * Starts a driver JVM whose temporary files (Spark's, and its servers' work folder) go to a
   * folder of this test's, removed with it even though the driver is killed.
   */
  private Process driver(Path ckpt, Path weights) throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("driver-tmp"));
    List<String> cmd = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-Xmx1g", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path")));
    cmd.addAll(Arrays.asList(System.getProperty("sparkps.test.jvmOpens", "").split("\\s+")));
    cmd.removeIf(String::isEmpty);
    cmd.addAll(List.of(CheckpointingDriver.class.getName(), ckpt.toUri().toString(),
        weights.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** Reads the rest of {@code in} into {@code into} on a daemon thread. */
  private static Thread drain(BufferedReader in, StringBuilder into) {
    Thread t = new Thread(() -> {
      try {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (into) {
            into.append(line).append('\n');
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "driver-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
