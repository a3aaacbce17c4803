package io.sparkps.bench.transport;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} arguments of a benchmark. Every name must be one the benchmark
 * knows, so that a typo fails at once instead of running the default for minutes.
 */
final class BenchArgs {
  private final Map<String, String> values = new HashMap<>();

  /** @param known the names the benchmark takes, without the leading dashes */
  BenchArgs(String[] args, Set<String> known) {
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got "
            + Arrays.toString(args));
      }
      String name = args[i].substring(2);
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown argument --" + name + "; known: " + known);
      }
      values.put(name, args[i + 1]);
    }
  }

  int intArg(String name, int def) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : def;
  }

  String stringArg(String name, String def) {
    return values.getOrDefault(name, def);
  }

  int[] intsArg(String name, int... def) {
    if (!values.containsKey(name)) {
      return def;
    }
    return Arrays.stream(values.get(name).split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /** Where the benchmark writes its table: {@code --out}, else spark-ps-bench/target/bench. */
  Path outDir() {
    String root = System.getProperty("sparkps.root", ".");
    return Path.of(stringArg("out", Path.of(root, "spark-ps-bench", "target", "bench")
        .toString()));
  }
}
