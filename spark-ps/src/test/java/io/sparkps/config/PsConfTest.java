package io.sparkps.config;

import static io.sparkps.config.ClusterConfigTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PsConfTest {

  private static InvalidConfigException invalid(Map<String, String> settings) {
    return assertThrows(InvalidConfigException.class, () -> new PsConf(settings));
  }

  @Test
  void replicationDefaultsToOneBackupWhenThereIsAnotherServer() {
    PsConf c = PsConf.defaults();
    assertEquals(1, c.replication(2, 1));
    assertEquals(0, c.replication(1, 1), "no other server to hold a backup");
    assertEquals(0, c.replication(2, 2), "master copies of several groups are not replicated");
    assertEquals(0, new PsConf(Map.of("spark.ps.replication", "0")).replication(3, 1));
    assertEquals(2, new PsConf(Map.of("spark.ps.replication", "2")).replication(3, 1));
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> new PsConf(Map.of("spark.ps.replication", "1")).replication(2, 2));
    assertMessage(e, "spark.ps.replication", "with 2 server groups");
    assertTrue(e.getMessage().contains("spark.ps.numServerGroups=1"), e.getMessage());
    assertMessage(invalid(Map.of("spark.ps.replication", "-1")), "spark.ps.replication",
        "[0, 8]");
  }

  @Test
  void aFailureTimeoutNotAboveTheHeartbeatIsRefused() {
    InvalidConfigException e = invalid(Map.of("spark.ps.server.failureTimeout", "1s"));
    assertMessage(e, "spark.ps.server.failureTimeout", "spark.ps.heartbeatInterval=1000ms");
    assertEquals(Duration.ofSeconds(3), PsConf.defaults().get(PsConf.SERVER_FAILURE_TIMEOUT));
  }

  @Test
  void defaults() {
    PsConf c = PsConf.defaults();
    assertEquals(Framework.SANDBLASTER, c.get(PsConf.FRAMEWORK));
    assertEquals(2, c.get(PsConf.NUM_SERVERS));
    assertEquals(1, c.get(PsConf.SYNC_FREQ));
    assertEquals("512m", c.get(PsConf.SERVER_MEMORY));
    assertEquals("", c.get(PsConf.SERVER_JAVA_OPTIONS));
    assertEquals("", c.get(PsConf.SERVER_HOST));
    assertEquals(0, c.get(PsConf.COORDINATOR_PORT));
    assertEquals(0, c.get(PsConf.SERVER_PORT));
    assertEquals(Duration.ofMillis(5000), c.get(PsConf.LEASE));
    assertEquals(Duration.ofMillis(1000), c.get(PsConf.HEARTBEAT_INTERVAL));
    assertEquals(Duration.ofMillis(120_000), c.get(PsConf.RPC_TIMEOUT));
    assertEquals(Duration.ofMillis(60_000), c.get(PsConf.SERVER_START_TIMEOUT));
    assertEquals(268_435_456, c.get(PsConf.TRANSPORT_MAX_FRAME_BYTES));
    assertEquals(2, c.get(PsConf.TRANSPORT_IO_THREADS));
    assertTrue(c.find(PsConf.NUM_WORKER_GROUPS).isEmpty());
    assertFalse(c.isSet(PsConf.NUM_SERVERS));
    assertThrows(IllegalStateException.class, () -> c.get(PsConf.STALENESS));
  }

  @Test
  void everyKeyIsListedOnceWithDocAndPrefix() {
    Set<String> seen = new HashSet<>();
    for (ConfigKey<?> k : PsConf.all()) {
      assertTrue(k.key().startsWith(PsConf.PREFIX), k.key());
      assertTrue(seen.add(k.key()), "duplicate " + k.key());
      assertFalse(k.doc().isBlank(), k.key());
      assertTrue(k.toString().startsWith(k.key() + " (default: "), k.toString());
    }
    assertEquals(33, seen.size());
  }

  @Test
  void encryptionFollowsSparksOwnUnlessSet() {
    assertFalse(PsConf.defaults().cryptoEnabled());
    assertFalse(PsConf.defaults().find(PsConf.CRYPTO_ENABLED).isPresent());
    for (String spark : new String[] {"spark.network.crypto.enabled", "spark.ssl.enabled"}) {
      assertTrue(new PsConf(Map.of(spark, "true")).cryptoEnabled(), spark);
      assertTrue(new PsConf(Map.of(spark, " TRUE ")).cryptoEnabled(), spark);
      assertFalse(new PsConf(Map.of(spark, "false")).cryptoEnabled(), spark);
      assertFalse(new PsConf(Map.of(spark, "true", "spark.ps.crypto.enabled", "false"))
          .cryptoEnabled(), spark + " overridden");
    }
    assertTrue(new PsConf(Map.of("spark.ps.crypto.enabled", "True")).cryptoEnabled());
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> new PsConf(Map.of("spark.ps.crypto.enabled", "yes")));
    assertTrue(e.getMessage().contains("spark.ps.crypto.enabled='yes': must be true or false"),
        e.getMessage());
  }

  @Test
  void parsesTypedValuesAndIgnoresOtherSparkKeys() {
    PsConf c = new PsConf(Map.of("spark.ps.framework", "Downpour", "spark.ps.lease", "10s",
        "spark.ps.heartbeatInterval", "2000ms", "spark.ps.rpc.timeout", "3000",
        "spark.ps.transport.maxFrameBytes", "64m", "spark.ps.staleness", "unbounded",
        "spark.executor.memory", "4g", "spark.ps.server.memory", "2g"));
    assertEquals(Framework.DOWNPOUR, c.get(PsConf.FRAMEWORK));
    assertEquals(Duration.ofSeconds(10), c.get(PsConf.LEASE));
    assertEquals(Duration.ofSeconds(2), c.get(PsConf.HEARTBEAT_INTERVAL));
    assertEquals(Duration.ofSeconds(3), c.get(PsConf.RPC_TIMEOUT));
    assertEquals(64 << 20, c.get(PsConf.TRANSPORT_MAX_FRAME_BYTES));
    assertEquals(ClusterConfig.UNBOUNDED_STALENESS, c.get(PsConf.STALENESS));
    assertEquals("2g", c.get(PsConf.SERVER_MEMORY));
    assertTrue(c.isSet(PsConf.LEASE));
    assertEquals("10s", c.explicitSettings().get("spark.ps.lease"));
    assertFalse(c.explicitSettings().containsKey("spark.executor.memory"));
  }

  @Test
  void checkpointIntervalIsStepsOrADuration() {
    PsConf c = new PsConf(Map.of("spark.ps.checkpoint.dir", "file:/tmp/ckpt",
        "spark.ps.checkpoint.interval", "500"));
    assertEquals("file:/tmp/ckpt", c.get(PsConf.CHECKPOINT_DIR));
    assertEquals(CheckpointInterval.ofSteps(500), c.get(PsConf.CHECKPOINT_INTERVAL));
    assertEquals(CheckpointInterval.of(Duration.ofSeconds(30)),
        new PsConf(Map.of("spark.ps.checkpoint.interval", "30s")).get(PsConf.CHECKPOINT_INTERVAL));
    assertEquals("", PsConf.defaults().get(PsConf.CHECKPOINT_DIR));
    assertEquals(CheckpointInterval.of(Duration.ofMinutes(5)),
        PsConf.defaults().get(PsConf.CHECKPOINT_INTERVAL));
    assertMessage(invalid(Map.of("spark.ps.checkpoint.interval", "0")),
        "spark.ps.checkpoint.interval", "spark.ps.checkpoint.interval='0': must be a whole "
            + "number of steps >= 1");
    assertMessage(invalid(Map.of("spark.ps.checkpoint.interval", "5 parsecs")),
        "spark.ps.checkpoint.interval", "'5 parsecs'");
  }

  @Test
  void unknownKeyIsRefusedWithNearMatches() {
    InvalidConfigException e = invalid(Map.of("spark.ps.numServer", "3"));
    assertMessage(e, "spark.ps.numServer", "unknown setting spark.ps.numServer='3'");
    assertTrue(e.getMessage().contains("did you mean spark.ps.numServers"), e.getMessage());

    InvalidConfigException lower = invalid(Map.of("spark.ps.heartbeatinterval", "1s"));
    assertTrue(lower.getMessage().contains("spark.ps.heartbeatInterval"), lower.getMessage());

    InvalidConfigException segment = invalid(Map.of("spark.ps.memory", "1g"));
    assertTrue(segment.getMessage().contains("spark.ps.server.memory"), segment.getMessage());

    InvalidConfigException far = invalid(Map.of("spark.ps.zzzzzzzzzzzzzzzzzzzzzz", "1"));
    assertTrue(far.getMessage().contains("known keys are spark.ps.checkpoint.dir"),
        far.getMessage());
  }

  @Test
  void badValuesNameKeyAndValue() {
    assertMessage(invalid(Map.of("spark.ps.numServers", "0")), "spark.ps.numServers",
        "spark.ps.numServers='0': must be an integer >= 1");
    assertMessage(invalid(Map.of("spark.ps.numServers", "two")), "spark.ps.numServers",
        "spark.ps.numServers='two'");
    assertMessage(invalid(Map.of("spark.ps.lease", "5 parsecs")), "spark.ps.lease",
        "spark.ps.lease='5 parsecs': must be a duration");
    assertMessage(invalid(Map.of("spark.ps.server.memory", "512")), "spark.ps.server.memory",
        "spark.ps.server.memory='512'");
    assertMessage(invalid(Map.of("spark.ps.server.memory", "1m")), "spark.ps.server.memory",
        "at least 16m");
    assertMessage(invalid(Map.of("spark.ps.transport.maxFrameBytes", "512")),
        "spark.ps.transport.maxFrameBytes", "'512'");
    assertMessage(invalid(Map.of("spark.ps.transport.maxFrameBytes", "4g")),
        "spark.ps.transport.maxFrameBytes", "'4g'");
    assertMessage(invalid(Map.of("spark.ps.server.port", "70000")), "spark.ps.server.port",
        "[0, 65535]");
    assertMessage(invalid(Map.of("spark.ps.framework", "mapreduce")), "spark.ps.framework",
        "spark.ps.framework='mapreduce'");
    assertMessage(invalid(Map.of("spark.ps.staleness", "-1")), "spark.ps.staleness",
        "spark.ps.staleness='-1'");
    assertMessage(invalid(Map.of("spark.ps.server.host", "my host")), "spark.ps.server.host",
        "'my host'");
  }

  @Test
  void heartbeatMustBeShorterThanLease() {
    InvalidConfigException e = invalid(Map.of("spark.ps.heartbeatInterval", "5s"));
    assertMessage(e, "spark.ps.heartbeatInterval", "spark.ps.heartbeatInterval=5000ms must be"
        + " < spark.ps.lease=5000ms");
    InvalidConfigException l = invalid(Map.of("spark.ps.lease", "500ms"));
    assertMessage(l, "spark.ps.lease", "spark.ps.lease=500ms");
    new PsConf(Map.of("spark.ps.lease", "2s", "spark.ps.heartbeatInterval", "1999"));
  }

  @Test
  void serializationKeepsValues() throws Exception {
    PsConf c = new PsConf(Map.of("spark.ps.framework", "hogwild", "spark.ps.lease", "7s"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    PsConf back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (PsConf) in.readObject();
    }
    assertEquals(Framework.HOGWILD, back.get(PsConf.FRAMEWORK));
    assertEquals(Duration.ofSeconds(7), back.get(PsConf.LEASE));
  }
}
