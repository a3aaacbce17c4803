package io.sparkps.bench.training;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of a benchmark, checked against the names it knows. */
final class BenchArgs {
  private final Map<String, String> values = new HashMap<>();

  BenchArgs(String[] argv, Set<String> known, String usage) {
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--") || i + 1 == argv.length || !known.contains(a.substring(2))) {
        throw new IllegalArgumentException("bad option " + a + "\n" + usage);
      }
      values.put(a.substring(2), argv[++i]);
    }
  }

  int getInt(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }
}
