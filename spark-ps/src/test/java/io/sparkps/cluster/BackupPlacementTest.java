package io.sparkps.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.client.ParamLayout;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.PsConf;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.SliceSetup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Backups go to another host than their primary: four real server JVMs on two hosts (the
 * loopback addresses 127.0.0.2 and 127.0.0.3, two servers each) keep every slice when both
 * servers of one host are killed at once.
 */
class BackupPlacementTest {
  private static final String[] HOSTS = {"127.0.0.2", "127.0.0.3"};

  /** Server {@code id} on host {@code id % 2}, each host's servers started by its own starter. */
  private static final class TwoHosts implements ServerStarter {
    private final LocalServers[] hosts = {new LocalServers(HOSTS[0], HOSTS[0]),
        new LocalServers(HOSTS[1], HOSTS[1])};

    @Override
    public Started start(int id, int port, Spec spec) throws IOException {
      return hosts[id % 2].start(id, port, spec);
    }

    @Override
    public String tail(int id, int lines) {
      return hosts[id % 2].tail(id, lines);
    }

    @Override
    public String logs() {
      return hosts[0].logs() + ", " + hosts[1].logs();
    }

    @Override
    public void close() {
      hosts[0].close();
      hosts[1].close();
    }
  }

  @Test
  void backupsAreOnAnotherHostSoThatLosingAHostLosesNoSlice() throws Exception {
    PsConf conf = new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), "128m"));
    try (PsCluster cluster = PsCluster.start(conf, 4,
        new PsCluster.Placement("127.0.0.1", "127.0.0.1", new TwoHosts()), 1, null)) {
      int paramId = cluster.reserveParamIds(1);
      List<SliceInfo> slices = new ArrayList<>();
      for (int s = 0; s < 8; s++) {
        slices.add(new SliceInfo(0, paramId, s, s * 16L, 16, s % 4));
      }
      cluster.createSlices(slices, OptimizerConfig.sgd(0.1f), SliceSetup.single(1),
          ParamLayout.InitialValues.zeros());
      for (SliceInfo s : slices) {
        List<Integer> holders = cluster.holdersOf(s);
        assertEquals(2, holders.size(), s + ": " + holders);
        assertNotEquals(host(cluster, holders.get(0)), host(cluster, holders.get(1)),
            s + " has its backup on its primary's host: " + holders);
      }

      List<Long> firstHost = new ArrayList<>();
      cluster.livePids().forEach((id, pid) -> {
        if (host(cluster, id).equals(HOSTS[0])) {
          firstHost.add(pid);
        }
      });
      assertEquals(2, firstHost.size());
      firstHost.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (cluster.failures().size() < 2) {
        assertTrue(System.nanoTime() < deadline, "the losses were not noticed");
        Thread.sleep(10);
      }
      for (ServerFailure f : cluster.failures()) {
        assertTrue(f.lost().isEmpty(), f.toString());
      }
      for (SliceInfo s : slices) {
        int primary = cluster.primaryOf(s);
        assertTrue(primary >= 0, s + " lost");
        assertEquals(HOSTS[1], host(cluster, primary), s + " served by " + primary);
      }
    }
  }

  private static String host(PsCluster cluster, int id) {
    return cluster.addressOf(id).getHostString();
  }
}
