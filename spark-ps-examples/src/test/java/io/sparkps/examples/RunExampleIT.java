package io.sparkps.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the example exactly as README says, through bin/run-example, and reads its JSON line. */
class RunExampleIT {
  /** Removed by JUnit after each test, with every run's output. */
  @org.junit.jupiter.api.io.TempDir
  Path tmp;

  private static final Path ROOT = Path.of(System.getProperty("sparkps.root", "..")).toAbsolutePath();

  static String lastLine(Path out) throws IOException {
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE]+)").matcher(json);
    assertTrue(m.find(), key + " missing in " + json);
    return Double.parseDouble(m.group(1));
  }

  static String run(Path dir, String... args) throws Exception {
    return run(dir, java.util.Map.of(), args);
  }

  /** Runs bin/run-example with {@code env} added to its environment. */
  static String run(Path dir, java.util.Map<String, String> env, String... args)
      throws Exception {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    List<String> cmd = new java.util.ArrayList<>(List.of(
        ROOT.resolve("bin/run-example").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("bin/run-example did not finish in 5 minutes");
    }
    assertEquals(0, p.exitValue(), () -> "exit status; stderr ends with:\n" + tail(err));
    return lastLine(out);
  }

  private static String tail(Path f) {
    try {
      List<String> l = Files.readAllLines(f, StandardCharsets.UTF_8);
      return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sandblaster", "allreduce", "downpour", "hogwild", "inmemory-hogwild"})
  void logisticRegressionOnA9aReachesReferenceAuc(String framework) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "run-example-");
    String json = run(dir, "LogisticRegressionExample", "--framework", framework,
        "--workers", "2", "--epochs", "3");
    System.out.println(json);
    assertTrue(json.contains("\"example\": \"LogisticRegressionExample\""), json);
    assertTrue(json.contains("\"framework\": \"" + framework + "\""), json);
    assertTrue(number(json, "train_seconds") > 0, json);
    assertTrue(number(json, "examples_per_second") > 0, json);
    assertTrue(number(json, "test_auc") >= 0.89, json);
    // A quiet console: the fit's start, one progress line per epoch, its end and the result.
    List<String> out = Files.readAllLines(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
    List<String> err = Files.readAllLines(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    List<String> epochs = out.stream().filter(l -> l.startsWith("epoch ")).toList();
    assertEquals(3, epochs.size(), String.join("\n", out));
    for (int e = 0; e < 3; e++) {
      assertTrue(epochs.get(e).matches("epoch " + (e + 1) + "/3  loss [0-9.]+  [0-9,]+ "
          + "examples/s  ETA .*"), epochs.get(e));
    }
    assertTrue(out.size() + err.size() <= 20, "more than 20 lines on the console:\n"
        + String.join("\n", out) + "\n" + String.join("\n", err));
  }

  /**
   * Sandblaster with SGD and a fixed seed is deterministic: a fit whose servers grow from 2 to 4
   * and shrink to 3 while it trains ends with the loss and AUC of the same fit undisturbed.
   */
  @org.junit.jupiter.api.Test
  void serversGrowAndShrinkDuringAFitThatEndsAsItWouldUndisturbed() throws Exception {
    String[] fit = {"LogisticRegressionExample", "--framework", "sandblaster", "--workers", "2",
        "--servers", "2", "--replication", "1", "--optimizer", "sgd", "--step-size", "0.05",
        "--batch-size", "16", "--epochs", "4", "--seed", "7"};
    java.util.Map<String, String> env = java.util.Map.of("SPARKPS_DRIVER_OPTS",
        "-Dspark.ps.slicesPerServer=4");
    Path dir = Files.createTempDirectory(tmp, "run-example-");
    String undisturbed = run(dir, env, fit);
    List<String> resized = new java.util.ArrayList<>(List.of(fit));
    resized.addAll(List.of("--resize-at", "200:4", "--resize-at", "2500:3"));
    String json = run(dir, env, resized.toArray(new String[0]));
    System.out.println(undisturbed + "\n" + json);
    assertEquals(0, (int) number(undisturbed, "slices_moved"), undisturbed);
    assertEquals(2, (int) number(undisturbed, "servers_at_end"), undisturbed);
    assertTrue(undisturbed.contains("\"max_switch_ms\": null"), undisturbed);
    assertEquals(3, (int) number(json, "servers_at_end"), json);
    assertTrue(number(json, "slices_moved") > 0, json);
    assertTrue(number(json, "max_switch_ms") >= 0, json);
    assertEquals(number(undisturbed, "final_loss"), number(json, "final_loss"), json);
    assertEquals(number(undisturbed, "test_auc"), number(json, "test_auc"), json);
  }

  @org.junit.jupiter.api.Test
  void mlpOnTheMnistSplitReachesNinetyFourPercent() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "run-example-");
    String json = run(dir, "MnistMlpExample", "--epochs", "10");
    System.out.println(json);
    assertTrue(json.contains("\"example\": \"MnistMlpExample\""), json);
    assertEquals(8000, (int) number(json, "train_examples"), json);
    assertTrue(number(json, "test_accuracy") >= 0.94, json);
  }

  @org.junit.jupiter.api.Test
  void sparseCtrWithAMillionFeaturesLearns() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "run-example-");
    String json = run(dir, "SparseCtrExample", "--features", "1000000", "--rows", "50000");
    System.out.println(json);
    assertEquals(1_000_000, (int) number(json, "features"), json);
    // Pushes carry the rows a batch touches, a tiny part of the 4 MB weight vector.
    assertTrue(number(json, "update_bytes_per_step") < 200_000, json);
    assertTrue(number(json, "weights_kept") < 1_000_000, json);
    assertTrue(number(json, "test_auc") >= 0.75, json);
  }

  /**
   * Run twice with one checkpoint directory: the first run starts afresh and leaves
   * checkpoints, the second resumes from the latest of them.
   */
  @org.junit.jupiter.api.Test
  void runAgainWithTheSameCheckpointDirResumes() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "run-example-");
    Path checkpoints = dir.resolve("checkpoints");
    try {
      String[] args = {"LogisticRegressionExample", "--workers", "2", "--epochs", "2",
          "--optimizer", "sgd", "--checkpoint-dir", checkpoints.toString(),
          "--checkpoint-interval", "100"};
      String first = run(dir, args);
      System.out.println(first);
      assertTrue(first.contains("\"resumed_from_step\": null"), first);
      List<Long> steps;
      try (java.util.stream.Stream<Path> all = Files.list(checkpoints)) {
        steps = all.filter(p -> Files.exists(p.resolve("MANIFEST")))
            .map(p -> Long.parseLong(p.getFileName().toString().split("-")[1])).sorted()
            .toList();
      }
      assertTrue(!steps.isEmpty(), "no committed checkpoint in " + checkpoints);

      String second = run(dir, args);
      System.out.println(second);
      assertEquals(steps.get(steps.size() - 1), (long) number(second, "resumed_from_step"),
          second);
      assertTrue(number(second, "test_auc") >= 0.89, second);
    } finally {
      try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
