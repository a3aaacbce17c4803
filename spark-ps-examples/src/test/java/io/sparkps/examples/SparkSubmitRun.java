package io.sparkps.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code spark-submit} started by {@link NetnsCluster#submit}: running until {@link
 * #await}, then its exit code, output, time and whatever of its application outlived it.
 */
final class SparkSubmitRun {
  private final NetnsCluster cluster;
  private final Process process;
  private final Path dir;
  private final String command;
  private final long startNanos = System.nanoTime();
  private volatile long endNanos;
  private List<String> leftovers;

  SparkSubmitRun(NetnsCluster cluster, Process process, Path dir, String command) {
    this.cluster = cluster;
    this.process = process;
    this.dir = dir;
    this.command = command;
    process.onExit().thenRun(() -> endNanos = System.nanoTime());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits up to {@code timeout} for spark-submit to exit, then up to 20 s for its executors
   * and parameter servers to go (those still there are killed and listed in {@link
   * #leftovers()}).
   *
   * @throws AssertionError when spark-submit did not exit in time; it is killed, with its
   *     application
   */
  SparkSubmitRun await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      cluster.awaitIdle(Duration.ZERO);
      throw new AssertionError("spark-submit was still running after "
          + elapsed().toSeconds() + " s, killed: " + command + "\n" + errors()
          + "stderr ends with:\n" + tail(stderr(), 60));
    }
    while (endNanos == 0) {
      Thread.sleep(10); // onExit's callback runs right after waitFor returns
    }
    leftovers = cluster.awaitIdle(Duration.ofSeconds(20));
    return this;
  }

  int exitCode() {
    return process.exitValue();
  }

  /** From start to exit. */
  Duration elapsed() {
    return Duration.ofNanos((endNanos == 0 ? System.nanoTime() : endNanos) - startNanos);
  }

  String stdout() {
    return read("stdout");
  }

  String stderr() {
    return read("stderr");
  }

  /** Processes of the application still alive 20 s after spark-submit exited (then killed). */
  List<String> leftovers() {
    return leftovers;
  }

  /** The last line of stdout, which the examples make their JSON result. */
  String json() {
    List<String> lines = stdout().lines().filter(l -> !l.isBlank()).toList();
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    if (!last.startsWith("{")) {
      throw new AssertionError("no JSON line at the end of stdout; " + describe());
    }
    return last;
  }

  /** Exit code, time, command and the end of stderr, for assertion messages. */
  String describe() {
    return "spark-submit exited with " + exitCode() + " after " + elapsed().toMillis()
        + " ms: " + command + "\n" + errors() + "stderr ends with:\n" + tail(stderr(), 60);
  }

  /** The first lines of stderr that name an exception: Spark's shutdown often buries them. */
  private String errors() {
    List<String> found = stderr().lines().filter(l -> l.contains("Exception")
        || l.contains("Error")).limit(5).toList();
    return found.isEmpty() ? "" : "first errors:\n" + String.join("\n", found) + "\n";
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + name + ": " + e + ")";
    }
  }

  static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
  }
}
