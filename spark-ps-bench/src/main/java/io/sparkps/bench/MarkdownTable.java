package io.sparkps.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The result table of every benchmark, as markdown: numbers with thousands separators, and
 * columns that hold only numbers right-aligned.
 *
 * <pre>{@code
 * MarkdownTable t = new MarkdownTable("case", "rows", "examples/s");
 * t.row("a9a", 32561, MarkdownTable.f0(2503535.4));   // | a9a | 32,561 | 2,503,535 |
 * }</pre>
 *
 * <p>Integers are written with separators; other numbers must come through {@link #f(double,
 * int)} (or {@code f0} .. {@code f4}), which says how many decimals they keep. Anything else is
 * written as its {@code toString()}. Not thread safe.
 */
public final class MarkdownTable {
  /** A number as this table writes it, or a missing one. */
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,3}(,[0-9]{3})*(\\.[0-9]+)?"
      + "|-?[0-9]+(\\.[0-9]+)?|NaN|-");

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  /**
   * Appends a row of one cell per column.
   *
   * @throws IllegalArgumentException for a wrong cell count, or a floating-point cell not
   *     formatted by {@link #f(double, int)}
   */
  public MarkdownTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + header.size()
          + " columns (" + String.join(", ", header) + ")");
    }
    List<String> row = new ArrayList<>();
    for (Object c : cells) {
      if (c instanceof Double || c instanceof Float) {
        throw new IllegalArgumentException("cell " + row.size() + " (" + c + "): say how many "
            + "decimals it keeps with MarkdownTable.f(value, decimals)");
      }
      row.add(c instanceof Integer || c instanceof Long || c instanceof Short
          ? String.format(Locale.ROOT, "%,d", ((Number) c).longValue())
          : String.valueOf(c).replace('|', '/'));
    }
    rows.add(row);
    return this;
  }

  /** The rows so far, each as the cells' text. */
  public List<List<String>> rows() {
    return rows;
  }

  /** {@code v} with {@code decimals} decimals and thousands separators; NaN stays "NaN". */
  public static String f(double v, int decimals) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  public static String f0(double v) {
    return f(v, 0);
  }

  public static String f1(double v) {
    return f(v, 1);
  }

  public static String f2(double v) {
    return f(v, 2);
  }

  public static String f3(double v) {
    return f(v, 3);
  }

  public static String f4(double v) {
    return f(v, 4);
  }

  /** A cell of this table back as a number: separators dropped. */
  public static double parse(String cell) {
    return Double.parseDouble(cell.replace(",", ""));
  }

  /** {@link String#format} in the root locale, for cells that are not a plain number. */
  public static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
    for (int c = 0; c < header.size(); c++) {
      sb.append(numeric(c) ? " ---: |" : " --- |");
    }
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return sb.toString();
  }

  /** Whether column {@code c} holds numbers only (missing ones allowed), at least one. */
  private boolean numeric(int c) {
    boolean any = false;
    for (List<String> r : rows) {
      String cell = r.get(c);
      if (!NUMBER.matcher(cell).matches()) {
        return false;
      }
      any |= !cell.equals("-") && !cell.equals("NaN");
    }
    return any;
  }

  /** Prints {@code title}, {@code notes} and the tables, and writes them to {@code file}. */
  public static void publish(Path file, String title, String notes, MarkdownTable... tables) {
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
}
