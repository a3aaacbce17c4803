package io.sparkps.bench.mllib;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.MarkdownTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The markdown a benchmark ends with: printed, and written to {@code
 * spark-ps-bench/target/bench/NAME.md} (or to the file given) for BENCHMARKS.md.
 */
final class Report {
  private final StringBuilder text = new StringBuilder();

  /** The default file of benchmark {@code name}, under the checkout named by sparkps.root. */
  static Path defaultPath(String name) {
    return BenchArgs.defaultOutDir().resolve(name + ".md");
  }

  /** {@link String#format} in the root locale. */
  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** Appends a line; {@code format} as {@link String#format} in the root locale. */
  Report line(String format, Object... args) {
    text.append(fmt(format, args)).append('\n');
    return this;
  }

  /** Appends a table. */
  Report table(MarkdownTable table) {
    text.append(table);
    return this;
  }

  /** Prints the report and writes it to {@code file}. */
  void publish(Path file) {
    System.out.println();
    System.out.print(text);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    System.out.println("(written to " + file.toAbsolutePath().normalize() + ")");
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
