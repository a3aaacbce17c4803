package io.sparkps.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options of the examples, checked against a known set. */
final class ExampleArgs {
  private final Map<String, String> values = new HashMap<>();
  private final Map<String, java.util.List<String>> all = new HashMap<>();

  ExampleArgs(String[] args, Set<String> known, String usage) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(usage);
        System.exit(0);
      }
      if (!a.startsWith("--") || !known.contains(a.substring(2)) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + usage);
      }
      values.put(a.substring(2), args[++i]);
      all.computeIfAbsent(a.substring(2), k -> new java.util.ArrayList<>()).add(args[i]);
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int getInt(String name, int fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a whole number, got '" + v + "'");
    }
  }

  double getDouble(String name, double fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a number, got '" + v + "'");
    }
  }

  /** Every value of an option that may be given more than once, in order. */
  java.util.List<String> getAll(String name) {
    return all.getOrDefault(name, java.util.List.of());
  }

  boolean has(String name) {
    return values.containsKey(name);
  }
}
