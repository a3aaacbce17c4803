package io.sparkps.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  /** Asserts the fields in ClusterConfig's declaration order. */
  private static void assertFields(ClusterConfig c, int wg, int sg, int wpg, int spg, int wpp,
      int spp, boolean separate, int syncFreq, int staleness) {
    assertEquals(wg, c.nWorkerGroups(), "nWorkerGroups");
    assertEquals(sg, c.nServerGroups(), "nServerGroups");
    assertEquals(wpg, c.nWorkersPerGroup(), "nWorkersPerGroup");
    assertEquals(spg, c.nServersPerGroup(), "nServersPerGroup");
    assertEquals(wpp, c.nWorkersPerProcess(), "nWorkersPerProcess");
    assertEquals(spp, c.nServersPerProcess(), "nServersPerProcess");
    assertEquals(separate, c.serverWorkerSeparate(), "serverWorkerSeparate");
    assertEquals(syncFreq, c.syncFreq(), "syncFreq");
    assertEquals(staleness, c.staleness(), "staleness");
    assertSame(c, c.validate());
  }

  private static final int UNBOUNDED = ClusterConfig.UNBOUNDED_STALENESS;

  @Test
  void sandblasterMatchesSinga() {
    ClusterConfig c = ClusterConfig.sandblaster(3, 2);
    assertFields(c, 1, 1, 3, 2, 1, 1, true, 1, UNBOUNDED);
    assertEquals(3, c.totalWorkers());
    assertEquals(2, c.totalServers());
    assertTrue(c.synchronousGroups());
  }

  @Test
  void downpourMatchesSinga() {
    ClusterConfig c = ClusterConfig.downpour(2, 2, 2);
    assertFields(c, 2, 1, 2, 2, 1, 1, true, 1, UNBOUNDED);
    assertEquals(4, c.totalWorkers());
  }

  @Test
  void allReduceBindsOneServerToEachWorker() {
    ClusterConfig c = ClusterConfig.allReduce(3);
    assertFields(c, 1, 1, 3, 3, 1, 1, false, 1, UNBOUNDED);
    assertEquals(c.totalWorkers(), c.totalServers());
  }

  @Test
  void distributedHogwildHasOneServerGroupPerWorker() {
    ClusterConfig c = ClusterConfig.distributedHogwild(3, 5);
    assertFields(c, 3, 3, 1, 1, 1, 1, false, 5, UNBOUNDED);
    assertFalse(c.synchronousGroups());
  }

  @Test
  void inMemoryHogwildIsAsynchronousGroupsInOneProcess() {
    ClusterConfig c = ClusterConfig.inMemoryHogwild(4);
    assertFields(c, 4, 1, 1, 1, 4, 1, false, 1, UNBOUNDED);
    assertEquals(1, c.totalServers());
    assertFalse(c.synchronousGroups());
    assertFields(ClusterConfig.inMemoryHogwild(1), 1, 1, 1, 1, 1, 1, false, 1, UNBOUNDED);
  }

  @Test
  void builderDefaultsAreSingasAndToBuilderRoundTrips() {
    ClusterConfig c = ClusterConfig.builder().build();
    assertFields(c, 1, 1, 1, 1, 1, 1, false, 1, UNBOUNDED);
    ClusterConfig d = ClusterConfig.downpour(4, 2, 3).toBuilder().staleness(8).build();
    assertEquals(8, d.staleness());
    assertEquals(d, d.toBuilder().build());
    assertEquals(d.hashCode(), d.toBuilder().build().hashCode());
    assertNotEquals(d, d.toBuilder().staleness(0).build());
  }

  @Test
  void toStringListsEveryField() {
    String s = ClusterConfig.distributedHogwild(2, 3).toBuilder().staleness(4).build().toString();
    for (String f : new String[] {"nWorkerGroups=2", "nServerGroups=2", "nWorkersPerGroup=1",
        "nServersPerGroup=1", "nWorkersPerProcess=1", "nServersPerProcess=1",
        "serverWorkerSeparate=false", "syncFreq=3", "staleness=4"}) {
      assertTrue(s.contains(f), s + " lacks " + f);
    }
  }

  @Test
  void serializationKeepsValue() throws Exception {
    ClusterConfig c = ClusterConfig.downpour(4, 2, 3);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(c, in.readObject());
    }
  }

  private static InvalidConfigException invalid(ClusterConfig.Builder b) {
    return assertThrows(InvalidConfigException.class, b::build);
  }

  @Test
  void everyCountMustBePositive() {
    ClusterConfig.Builder base = ClusterConfig.builder();
    assertMessage(invalid(base.nWorkerGroups(0)), "nWorkerGroups",
        "nWorkerGroups=0: must be >= 1");
    base = ClusterConfig.builder();
    assertMessage(invalid(base.nServerGroups(-1)), "nServerGroups",
        "nServerGroups=-1: must be >= 1");
    base = ClusterConfig.builder();
    assertMessage(invalid(base.nWorkersPerGroup(0)), "nWorkersPerGroup",
        "nWorkersPerGroup=0: must be >= 1");
    base = ClusterConfig.builder();
    assertMessage(invalid(base.nServersPerGroup(0)), "nServersPerGroup", "nServersPerGroup=0");
    base = ClusterConfig.builder();
    assertMessage(invalid(base.nWorkersPerProcess(0)), "nWorkersPerProcess",
        "nWorkersPerProcess=0");
    base = ClusterConfig.builder();
    assertMessage(invalid(base.nServersPerProcess(0)), "nServersPerProcess",
        "nServersPerProcess=0");
    base = ClusterConfig.builder();
    assertMessage(invalid(base.syncFreq(0)), "syncFreq", "syncFreq=0: must be >= 1");
    base = ClusterConfig.builder();
    assertMessage(invalid(base.staleness(-1)), "staleness", "staleness=-1: must be >= 0");
  }

  @Test
  void stalenessZeroIsLockStep() {
    assertEquals(0, ClusterConfig.downpour(2, 1, 1).toBuilder().staleness(0).build().staleness());
  }

  @Test
  void totalsMustFitAnInt() {
    InvalidConfigException e = invalid(ClusterConfig.builder().nWorkerGroups(1 << 16)
        .nWorkersPerGroup(1 << 16).serverWorkerSeparate(true));
    assertMessage(e, "nWorkersPerGroup", "nWorkerGroups*nWorkersPerGroup=65536*65536");
  }

  @Test
  void workersPerGroupAndPerProcessMustDivideOneAnother() {
    InvalidConfigException e = invalid(ClusterConfig.sandblaster(3, 1).toBuilder()
        .nWorkersPerProcess(2));
    assertMessage(e, "nWorkersPerProcess", "nWorkersPerGroup=3 and nWorkersPerProcess=2");
    // either direction is fine
    ClusterConfig.sandblaster(4, 1).toBuilder().nWorkersPerProcess(2).build();
    ClusterConfig.downpour(2, 2, 1).toBuilder().nWorkersPerProcess(4).build();
  }

  @Test
  void serversPerGroupAndPerProcessMustDivideOneAnother() {
    InvalidConfigException e = invalid(ClusterConfig.sandblaster(1, 3).toBuilder()
        .nServersPerProcess(2));
    assertMessage(e, "nServersPerProcess", "nServersPerGroup=3 and nServersPerProcess=2");
  }

  @Test
  void processesMustBeFull() {
    // 3 groups of 1 worker cannot fill processes of 2 workers.
    InvalidConfigException e = invalid(ClusterConfig.downpour(3, 1, 1).toBuilder()
        .nWorkersPerProcess(2));
    assertMessage(e, "nWorkersPerProcess", "nWorkerGroups*nWorkersPerGroup=3*1=3");
    InvalidConfigException s = invalid(ClusterConfig.builder().nWorkerGroups(3)
        .nServerGroups(3).serverWorkerSeparate(true).nServersPerProcess(2));
    assertMessage(s, "nServersPerProcess", "nServerGroups*nServersPerGroup=3*1=3");
  }

  @Test
  void serverGroupsMustDivideWorkerGroups() {
    InvalidConfigException e = invalid(ClusterConfig.downpour(3, 1, 1).toBuilder()
        .nServerGroups(2));
    assertMessage(e, "nServerGroups", "nWorkerGroups=3 and nServerGroups=2");
    assertTrue(e.getMessage().contains("[1, 3]"), e.getMessage());
  }

  @Test
  void colocatedServersMustFitInWorkers() {
    InvalidConfigException e = invalid(ClusterConfig.allReduce(2).toBuilder()
        .nServersPerGroup(3));
    assertMessage(e, "nServersPerGroup", "nServerGroups*nServersPerGroup=1*3=3");
    assertTrue(e.getMessage().contains("serverWorkerSeparate"), e.getMessage());
    // the same numbers are fine with separate servers
    ClusterConfig.allReduce(2).toBuilder().nServersPerGroup(3).serverWorkerSeparate(true)
        .build();
  }

  @Test
  void colocatedServerProcessesMustBeWorkerProcesses() {
    // 4 workers in one JVM cannot host 2 single-server processes.
    InvalidConfigException e = invalid(ClusterConfig.inMemoryHogwild(4).toBuilder()
        .nServersPerGroup(2));
    assertMessage(e, "nServersPerProcess", "2 server processes");
    ClusterConfig.inMemoryHogwild(4).toBuilder().nServersPerGroup(2).nServersPerProcess(2)
        .build();
  }

  @Test
  void validationExceptionIsFatal() {
    InvalidConfigException e = invalid(ClusterConfig.builder().nWorkerGroups(0));
    assertFalse(e.isRetriable());
  }

  static void assertMessage(InvalidConfigException e, String setting, String fragment) {
    assertEquals(setting, e.setting(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment),
        "message '" + e.getMessage() + "' lacks '" + fragment + "'");
  }
}
