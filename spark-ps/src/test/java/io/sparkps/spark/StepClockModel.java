package io.sparkps.spark;

import io.sparkps.model.Batch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;

/**
 * Logistic regression whose every gradient takes {@code delayMs} longer and is logged: the
 * wall-clock time (ms) it was computed at is appended to {@code <dir>/<executor id>.steps}, so
 * that a test sees how many steps each executor ran, and when, while the fit goes on.
 */
final class StepClockModel extends WrappedLogistic {
  private final long delayMs;
  private final String dir;

  StepClockModel(long delayMs, Path dir) {
    this.delayMs = delayMs;
    this.dir = dir.toString();
  }

  /** The times each executor computed gradients at, by executor id. */
  static Map<String, List<Long>> read(Path dir) {
    Map<String, List<Long>> out = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".steps")).toList()) {
        List<Long> times = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
          if (line.endsWith(";")) {
            times.add(Long.parseLong(line.substring(0, line.length() - 1)));
          }
        }
        String name = f.getFileName().toString();
        out.put(name.substring(0, name.length() - ".steps".length()), times);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public double gradient(Batch batch, float[][] params, float[][] gradients) {
    try {
      Thread.sleep(delayMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double loss = inner.gradient(batch, params, gradients);
    // A line ends with ';' once written whole, so a reader skips a line being written.
    try {
      Files.writeString(Path.of(dir, SparkEnv.get().executorId() + ".steps"),
          System.currentTimeMillis() + ";\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return loss;
  }
}
