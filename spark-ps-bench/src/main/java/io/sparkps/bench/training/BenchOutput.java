package io.sparkps.bench.training;

import io.sparkps.bench.BenchArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the benchmarks leave their tables and data: {@code spark-ps-bench/target/bench/}. */
final class BenchOutput {
  private BenchOutput() {}

  /** The output folder, created if missing. */
  static Path dir() {
    Path dir = BenchArgs.defaultOutDir();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} to {@code name} in the output folder and prints where. */
  static Path write(String name, String text) {
    return write(dir(), name, text);
  }

  /** Writes {@code text} to {@code name} in {@code dir}, created if missing, and prints where. */
  static Path write(Path dir, String name, String text) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("written to " + file);
    return file;
  }
}
