package io.sparkps.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --name value} arguments of a benchmark, each declared with its default; an unknown
 * name or a missing value is rejected with the usage line.
 */
public final class BenchArgs {
  private final Map<String, String> values;
  private final String usage;

  /**
   * @param bench the benchmark's name as {@code bin/bench} takes it, e.g. {@code
   *     mllib.A9aVsMllib}, for the usage line
   * @param defaults each accepted name (without dashes) with its default value, in the order
   *     of the usage line
   */
  public BenchArgs(String bench, String[] argv, Map<String, String> defaults) {
    StringBuilder u = new StringBuilder("usage: bin/bench " + bench);
    defaults.forEach((k, v) -> u.append(" [--").append(k).append(' ').append(v).append(']'));
    this.usage = u.toString();
    this.values = new LinkedHashMap<>(defaults);
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("--help") || a.equals("-h")) {
        throw new IllegalArgumentException(usage);
      }
      if (!a.startsWith("--") || !defaults.containsKey(a.substring(2)) || i + 1 >= argv.length) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + usage);
      }
      values.put(a.substring(2), argv[++i]);
    }
  }

  public String get(String name) {
    if (!values.containsKey(name)) {
      throw new IllegalStateException("no argument --" + name + " declared");
    }
    return values.get(name);
  }

  public int getInt(String name) {
    try {
      return Integer.parseInt(get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a whole number, got '"
          + get(name) + "'\n" + usage);
    }
  }

  public double getDouble(String name) {
    try {
      return Double.parseDouble(get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a number, got '" + get(name)
          + "'\n" + usage);
    }
  }

  /** A comma-separated list. */
  public String[] getList(String name) {
    return Arrays.stream(get(name).split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .toArray(String[]::new);
  }

  /** A comma-separated list of whole numbers. */
  public int[] getInts(String name) {
    try {
      return Arrays.stream(getList(name)).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs whole numbers separated by "
          + "commas, got '" + get(name) + "'\n" + usage);
    }
  }

  /**
   * Where benchmarks write their tables unless told otherwise: spark-ps-bench/target/bench under
   * the checkout that {@code sparkps.root} names (bin/bench and the tests set it).
   */
  public static java.nio.file.Path defaultOutDir() {
    return java.nio.file.Path.of(System.getProperty("sparkps.root", "."), "spark-ps-bench",
        "target", "bench");
  }
}
