package io.sparkps.config;

import static io.sparkps.config.ClusterConfigTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfResolverTest {

  private static ClusterConfig resolve(Map<String, String> settings, int defaultWorkers) {
    return new PsConf(settings).clusterConfig(defaultWorkers);
  }

  @Test
  void presetsSizedFromDefaultWorkers() {
    assertEquals(ClusterConfig.sandblaster(4, 2), resolve(Map.of(), 4));
    assertEquals(ClusterConfig.allReduce(3),
        resolve(Map.of("spark.ps.framework", "allreduce"), 3));
    assertEquals(ClusterConfig.downpour(6, 1, 2),
        resolve(Map.of("spark.ps.framework", "downpour"), 6));
    assertEquals(ClusterConfig.distributedHogwild(5, 1),
        resolve(Map.of("spark.ps.framework", "hogwild"), 5));
    assertEquals(ClusterConfig.inMemoryHogwild(8),
        resolve(Map.of("spark.ps.framework", "inmemory-hogwild"), 8));
  }

  @Test
  void presetArgumentsComeFromKeys() {
    assertEquals(ClusterConfig.sandblaster(3, 4), resolve(Map.of(
        "spark.ps.numWorkersPerGroup", "3", "spark.ps.numServers", "4"), 10));
    // 8 default workers in groups of 2 give 4 groups
    assertEquals(ClusterConfig.downpour(4, 2, 2), resolve(Map.of(
        "spark.ps.framework", "downpour", "spark.ps.numWorkersPerGroup", "2"), 8));
    assertEquals(ClusterConfig.distributedHogwild(3, 7), resolve(Map.of(
        "spark.ps.framework", "distributed-hogwild", "spark.ps.numWorkerGroups", "3",
        "spark.ps.syncFreq", "7"), 10));
  }

  @Test
  void explicitKeysOverridePresetFields() {
    ClusterConfig c = resolve(Map.of("spark.ps.framework", "hogwild",
        "spark.ps.numServerGroups", "2", "spark.ps.numServers", "1",
        "spark.ps.staleness", "3"), 4);
    assertEquals(ClusterConfig.distributedHogwild(4, 1).toBuilder().nServerGroups(2)
        .staleness(3).build(), c);

    // allreduce uses one server per worker unless numServers says otherwise
    ClusterConfig a = resolve(Map.of("spark.ps.framework", "allreduce",
        "spark.ps.numServers", "2"), 4);
    assertEquals(4, a.nWorkersPerGroup());
    assertEquals(2, a.nServersPerGroup());
  }

  @Test
  void invalidResultNamesTheKeyToChange() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> resolve(Map.of("spark.ps.framework", "downpour", "spark.ps.numWorkerGroups", "3",
            "spark.ps.numServerGroups", "2"), 6));
    assertMessage(e, "spark.ps.numServerGroups", "nWorkerGroups=3 and nServerGroups=2");
    assertTrue(e.getMessage().contains("spark.ps.framework=downpour"), e.getMessage());
    assertEquals("nServerGroups", ((InvalidConfigException) e.getCause()).setting());

    InvalidConfigException s = assertThrows(InvalidConfigException.class,
        () -> resolve(Map.of("spark.ps.framework", "allreduce", "spark.ps.numServers", "5"), 4));
    assertMessage(s, "spark.ps.numServers", "serverWorkerSeparate=false");
  }

  @Test
  void defaultWorkersMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> resolve(Map.of(), 0));
  }
}
