package io.sparkps.bench.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A benchmark's result table, printed and written as markdown. */
final class MarkdownTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  void row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + header.size()
          + " columns");
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      row.add(String.valueOf(c));
    }
    rows.add(row);
  }

  List<List<String>> rows() {
    return rows;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
    header.forEach(h -> sb.append(" --- |"));
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return sb.toString();
  }

  /** Prints {@code title}, {@code notes} and the table, and writes them to {@code file}. */
  static void publish(Path file, String title, String notes, MarkdownTable... tables) {
    StringBuilder sb = new StringBuilder("## ").append(title).append("\n\n");
    if (!notes.isEmpty()) {
      sb.append(notes).append("\n\n");
    }
    for (MarkdownTable t : tables) {
      sb.append(t).append('\n');
    }
    System.out.print(sb);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
    System.out.println("(written to " + file + ")");
  }

  static String f1(double v) {
    return String.format("%.1f", v);
  }

  static String f2(double v) {
    return String.format("%.2f", v);
  }
}
