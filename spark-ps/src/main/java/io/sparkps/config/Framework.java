package io.sparkps.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The named training frameworks of Apache SINGA, each a preset {@link ClusterConfig}.
 * Chosen with {@code spark.ps.framework}; see the {@code ClusterConfig} factory of the same
 * name for when to pick which.
 */
public enum Framework {
  /** Synchronous, one worker and one separate server group: {@link ClusterConfig#sandblaster}. */
  SANDBLASTER("sandblaster"),
  /** Synchronous, one server co-located with each worker: {@link ClusterConfig#allReduce}. */
  ALLREDUCE("allreduce"),
  /** Asynchronous worker groups, one separate server group: {@link ClusterConfig#downpour}. */
  DOWNPOUR("downpour"),
  /**
   * Distributed Hogwild, one co-located server group per worker:
   * {@link ClusterConfig#distributedHogwild}.
   */
  HOGWILD("hogwild", "distributed-hogwild"),
  /** Asynchronous workers sharing one in-process server: {@link ClusterConfig#inMemoryHogwild}. */
  INMEMORY_HOGWILD("inmemory-hogwild");

  private final String cliName;
  private final List<String> aliases;

  Framework(String cliName, String... aliases) {
    this.cliName = cliName;
    this.aliases = List.of(aliases);
  }

  /** The name used on the command line and in {@code spark.ps.framework}. */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a framework name, ignoring case and surrounding blanks; {@code _} is read as
   * {@code -} so the enum constant names work too.
   *
   * @throws InvalidConfigException naming the accepted names if {@code name} is none of them
   */
  public static Framework parse(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (Framework f : values()) {
      if (f.cliName.equals(wanted) || f.aliases.contains(wanted)) {
        return f;
      }
    }
    throw new InvalidConfigException("framework",
        "framework='" + name + "': unknown; accepted names are " + acceptedNames());
  }

  /** Every name {@link #parse} accepts, for messages and docs. */
  public static String acceptedNames() {
    return Arrays.stream(values())
        .flatMap(f -> Stream.concat(Stream.of(f.cliName), f.aliases.stream()))
        .collect(Collectors.joining("|"));
  }
}
