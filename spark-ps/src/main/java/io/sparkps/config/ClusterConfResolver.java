package io.sparkps.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code spark.ps.*} settings into a {@link ClusterConfig}: first the preset of
 * {@code spark.ps.framework}, sized from the explicit keys where the preset has a matching
 * argument and from {@code defaultWorkers} otherwise; then every explicitly set topology key
 * overrides the preset's field. Preset sizing:
 *
 * <ul>
 *   <li>sandblaster: numWorkersPerGroup (default: defaultWorkers) workers, numServers servers;</li>
 *   <li>allreduce: numWorkersPerGroup (default: defaultWorkers) workers, as many servers;</li>
 *   <li>downpour: numWorkerGroups (default: defaultWorkers / numWorkersPerGroup, at least 1)
 *       groups of numWorkersPerGroup (default 1), numServers servers;</li>
 *   <li>hogwild: numWorkerGroups (default: defaultWorkers) groups, syncFreq;</li>
 *   <li>inmemory-hogwild: numWorkerGroups (default: defaultWorkers) workers.</li>
 * </ul>
 */
final class ClusterConfResolver {

  /** ClusterConfig field to the key that sets it, for error messages. */
  private static final Map<String, ConfigKey<Integer>> KEY_OF_FIELD = Map.of(
      "nWorkerGroups", PsConf.NUM_WORKER_GROUPS,
      "nWorkersPerGroup", PsConf.NUM_WORKERS_PER_GROUP,
      "nServerGroups", PsConf.NUM_SERVER_GROUPS,
      "nServersPerGroup", PsConf.NUM_SERVERS,
      "staleness", PsConf.STALENESS,
      "syncFreq", PsConf.SYNC_FREQ);

  private ClusterConfResolver() {
  }

  static ClusterConfig resolve(PsConf conf, int defaultWorkers) {
    if (defaultWorkers < 1) {
      throw new IllegalArgumentException("defaultWorkers=" + defaultWorkers
          + ": must be >= 1 (typically the number of partitions of the training data)");
    }
    try {
      ClusterConfig.Builder b = preset(conf, defaultWorkers).toBuilder();
      explicit(conf, PsConf.NUM_WORKER_GROUPS).ifPresent(b::nWorkerGroups);
      explicit(conf, PsConf.NUM_WORKERS_PER_GROUP).ifPresent(b::nWorkersPerGroup);
      explicit(conf, PsConf.NUM_SERVER_GROUPS).ifPresent(b::nServerGroups);
      explicit(conf, PsConf.NUM_SERVERS).ifPresent(b::nServersPerGroup);
      explicit(conf, PsConf.STALENESS).ifPresent(b::staleness);
      explicit(conf, PsConf.SYNC_FREQ).ifPresent(b::syncFreq);
      return b.build();
    } catch (InvalidConfigException e) {
      throw inTermsOfKeys(conf, defaultWorkers, e);
    }
  }

  private static ClusterConfig preset(PsConf conf, int defaultWorkers) {
    Optional<Integer> groups = explicit(conf, PsConf.NUM_WORKER_GROUPS);
    Optional<Integer> perGroup = explicit(conf, PsConf.NUM_WORKERS_PER_GROUP);
    switch (conf.get(PsConf.FRAMEWORK)) {
      case SANDBLASTER:
        return ClusterConfig.sandblaster(perGroup.orElse(defaultWorkers),
            conf.get(PsConf.NUM_SERVERS));
      case ALLREDUCE:
        return ClusterConfig.allReduce(perGroup.orElse(defaultWorkers));
      case DOWNPOUR:
        int n = perGroup.orElse(1);
        return ClusterConfig.downpour(groups.orElse(Math.max(1, defaultWorkers / n)), n,
            conf.get(PsConf.NUM_SERVERS));
      case HOGWILD:
        return ClusterConfig.distributedHogwild(groups.orElse(defaultWorkers),
            conf.get(PsConf.SYNC_FREQ));
      case INMEMORY_HOGWILD:
        return ClusterConfig.inMemoryHogwild(groups.orElse(defaultWorkers));
      default:
        throw new AssertionError("unhandled framework " + conf.get(PsConf.FRAMEWORK));
    }
  }

  private static <T> Optional<T> explicit(PsConf conf, ConfigKey<T> key) {
    return conf.isSet(key) ? Optional.of(conf.get(key)) : Optional.empty();
  }

  // The user wrote spark.ps keys, not ClusterConfig fields: say which key to change.
  private static InvalidConfigException inTermsOfKeys(PsConf conf, int defaultWorkers,
      InvalidConfigException e) {
    ConfigKey<Integer> key = KEY_OF_FIELD.get(e.setting());
    String setting = key != null ? key.key() : PsConf.FRAMEWORK.key();
    Map<String, String> given = new LinkedHashMap<>();
    given.put(PsConf.FRAMEWORK.key(), conf.get(PsConf.FRAMEWORK).cliName());
    for (ConfigKey<?> k : PsConf.all()) {
      if (KEY_OF_FIELD.containsValue(k) && conf.isSet(k)) {
        given.put(k.key(), conf.explicitSettings().get(k.key()));
      }
    }
    return new InvalidConfigException(setting, "invalid cluster topology from " + given
        + " with " + defaultWorkers + " default workers: " + e.getMessage() + " (change "
        + setting + (key != null ? ", which sets " + e.setting() : "") + ")", e);
  }
}
