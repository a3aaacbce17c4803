package io.sparkps.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.client.ClusterInfo;
import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.SliceInfo;
import io.sparkps.server.SliceStats;
import io.sparkps.transport.Secret;
import io.sparkps.transport.SliceSetup;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Distributed Hogwild's sync between server groups, on two hosted servers. */
@Timeout(60)
class InterGroupSyncTest {
  private static final Secret SECRET = Secret.generate(new SecureRandom());

  @Test
  void nonMasterSendsItsDeltaAndBothCopiesAgreeAfterFlush() {
    try (HostedServer master = HostedServer.start(0, "127.0.0.1", SECRET, 1, 1 << 20, 5000);
        HostedServer copy = HostedServer.start(1, "127.0.0.1", SECRET, 1, 1 << 20, 5000)) {
      ClusterInfo info = new ClusterInfo(List.of(master.address(), copy.address()),
          SECRET.toHex(), 5000, 1 << 20);
      SliceInfo onMaster = new SliceInfo(0, 1, 0, 0, 3, 0);
      SliceInfo onCopy = new SliceInfo(0, 1, 0, 0, 3, 1);
      String masterAddress = "127.0.0.1:" + master.address().getPort();
      try (PsClient client = PsClient.connect(info)) {
        float[] init = {1f, 2f, 3f};
        PsClient.await(client.create(onMaster, OptimizerConfig.sgd(1f),
            new SliceSetup(1, 0, 1, SliceSetup.UNBOUNDED, 1, ""), init.clone()), 5000);
        PsClient.await(client.create(onCopy, OptimizerConfig.sgd(1f),
            new SliceSetup(1, 1, 1, SliceSetup.UNBOUNDED, 1, masterAddress), init.clone()), 5000);
        for (int step = 0; step < 5; step++) {
          PsClient.await(client.push(onCopy, Share.of(step, 1, 1, 1), new float[] {1f, 0f, -1f}), 5000);
          PsClient.await(client.push(onMaster, Share.of(step, 0, 0, 1), new float[] {0f, 1f, 0f}), 5000);
        }
        PsClient.await(client.flush(onCopy), 5000);
        SliceStats m = master.server().stats(1, 0);
        SliceStats c = copy.server().stats(1, 0);
        // Master: own 5 steps on [1], plus the copy's 5 steps on [0] and [2].
        float[] expected = {1f - 5f, 2f - 5f, 3f + 5f};
        for (int i = 0; i < 3; i++) {
          assertEquals(expected[i], m.values()[i], 1e-5, "master value " + i);
        }
        assertTrue(c.syncsSent() >= 1);
        assertTrue(c.maxSyncsInFlight() <= 1, "in flight " + c.maxSyncsInFlight());
      }
    }
  }

  @Test
  void concurrentGroupsEachMasterOfOneSliceConvergeAfterFlush() throws Exception {
    try (HostedServer s0 = HostedServer.start(0, "127.0.0.1", SECRET, 1, 1 << 20, 5000);
        HostedServer s1 = HostedServer.start(1, "127.0.0.1", SECRET, 1, 1 << 20, 5000)) {
      ClusterInfo info = new ClusterInfo(List.of(s0.address(), s1.address()),
          SECRET.toHex(), 5000, 1 << 20);
      String[] address = {"127.0.0.1:" + s0.address().getPort(),
          "127.0.0.1:" + s1.address().getPort()};
      int steps = 2000;
      try (PsClient client = PsClient.connect(info)) {
        // Slice k has its master copy on server k; each server g also holds the other copy.
        for (int k = 0; k < 2; k++) {
          for (int g = 0; g < 2; g++) {
            PsClient.await(client.create(new SliceInfo(k, 1 + k, 0, 0, 4, g),
                OptimizerConfig.sgd(1f), new SliceSetup(1, g, 1, SliceSetup.UNBOUNDED, 1,
                    g == k ? "" : address[k]), new float[4]), 5000);
          }
        }
        Thread[] workers = new Thread[2];
        for (int g = 0; g < 2; g++) {
          int group = g;
          workers[g] = new Thread(() -> {
            for (int step = 0; step < steps; step++) {
              for (int k = 0; k < 2; k++) {
                PsClient.await(client.push(new SliceInfo(k, 1 + k, 0, 0, 4, group),
                    Share.of(step, group, group, 1), new float[] {-1f, -1f, -1f, -1f}), 5000);
              }
            }
          });
          workers[g].start();
        }
        for (Thread t : workers) {
          t.join(30_000);
        }
        for (int k = 0; k < 2; k++) {
          SliceStats copy = (k == 0 ? s1 : s0).server().stats(1 + k, 0);
          assertTrue(copy.syncsSent() <= steps, "one sync per update at most with syncFreq 1, "
              + "sent " + copy.syncsSent());
          PsClient.await(client.flush(new SliceInfo(k, 1 + k, 0, 0, 4, 1 - k)), 5000);
        }
        for (int k = 0; k < 2; k++) {
          SliceStats master = (k == 0 ? s0 : s1).server().stats(1 + k, 0);
          SliceStats copy = (k == 0 ? s1 : s0).server().stats(1 + k, 0);
          assertEquals(2f * steps, master.values()[0], 1e-3, "master of slice " + k);
          assertEquals(master.values()[0], copy.values()[0], 1e-3,
              "after a flush the copy of slice " + k + " equals its master");
        }
      }
    }
  }

  /** Largest |copy - master| over a slice, right before the final flush. */
  private static double driftWithSyncFreq(int syncFreq) {
    try (HostedServer master = HostedServer.start(0, "127.0.0.1", SECRET, 1, 1 << 20, 5000);
        HostedServer copy = HostedServer.start(1, "127.0.0.1", SECRET, 1, 1 << 20, 5000)) {
      ClusterInfo info = new ClusterInfo(List.of(master.address(), copy.address()),
          SECRET.toHex(), 5000, 1 << 20);
      SliceInfo onMaster = new SliceInfo(0, 1, 0, 0, 2, 0);
      SliceInfo onCopy = new SliceInfo(0, 1, 0, 0, 2, 1);
      try (PsClient client = PsClient.connect(info)) {
        PsClient.await(client.create(onMaster, OptimizerConfig.sgd(1f),
            new SliceSetup(1, 0, 1, SliceSetup.UNBOUNDED, syncFreq, ""), new float[2]), 5000);
        PsClient.await(client.create(onCopy, OptimizerConfig.sgd(1f),
            new SliceSetup(1, 1, 1, SliceSetup.UNBOUNDED, syncFreq,
                "127.0.0.1:" + master.address().getPort()), new float[2]), 5000);
        double drift = 0;
        for (int step = 0; step < 100; step++) {
          PsClient.await(client.push(onMaster, Share.of(step, 0, 0, 1), new float[] {1f, 0f}), 5000);
          PsClient.await(client.push(onCopy, Share.of(step, 1, 1, 1), new float[] {0f, 1f}), 5000);
          float[] m = master.server().stats(1, 0).values();
          float[] c = copy.server().stats(1, 0).values();
          for (int i = 0; i < 2; i++) {
            drift = Math.max(drift, Math.abs(m[i] - c[i]));
          }
        }
        PsClient.await(client.flush(onCopy), 5000);
        float[] m = master.server().stats(1, 0).values();
        assertEquals(-100f, m[0], 1e-4);
        assertEquals(-100f, m[1], 1e-4, "every update of the copy reached the master");
        return drift;
      }
    }
  }

  @Test
  void aLargerSyncFrequencyLetsTheCopiesDrift() {
    double tight = driftWithSyncFreq(1);
    double loose = driftWithSyncFreq(20);
    assertTrue(tight <= 2.0 + 1e-6, "syncFreq=1 drift " + tight);
    assertTrue(loose > 5 * tight, "syncFreq=20 drift " + loose + " vs syncFreq=1 " + tight);
  }

  @Test
  void syncsInFlightNeverExceedTheBoundWhenTheMasterIsSlow() throws Exception {
    int syncFreq = 2;
    java.util.concurrent.ScheduledExecutorService delay =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    io.sparkps.server.ParamServer masterServer = new io.sparkps.server.ParamServer(5000);
    try (io.sparkps.transport.Transport t = new io.sparkps.transport.Transport("slow-master",
        SECRET, 1, 1 << 20, 5000);
        HostedServer copy = HostedServer.start(1, "127.0.0.1", SECRET, 1, 1 << 20, 5000)) {
      io.netty.channel.Channel listening = t.listen("127.0.0.1", 0, (peer, msg) -> {
        if (msg instanceof io.sparkps.transport.Sync) {
          delay.schedule(() -> masterServer.handle(peer, msg), 30,
              java.util.concurrent.TimeUnit.MILLISECONDS);
        } else {
          masterServer.handle(peer, msg);
        }
      });
      java.net.InetSocketAddress masterAddress =
          (java.net.InetSocketAddress) listening.localAddress();
      ClusterInfo info = new ClusterInfo(List.of(masterAddress, copy.address()),
          SECRET.toHex(), 5000, 1 << 20);
      SliceInfo onMaster = new SliceInfo(0, 1, 0, 0, 1, 0);
      SliceInfo onCopy = new SliceInfo(0, 1, 0, 0, 1, 1);
      try (PsClient client = PsClient.connect(info)) {
        PsClient.await(client.create(onMaster, OptimizerConfig.sgd(1f),
            new SliceSetup(1, 0, 1, SliceSetup.UNBOUNDED, syncFreq, ""), new float[1]), 5000);
        PsClient.await(client.create(onCopy, OptimizerConfig.sgd(1f),
            new SliceSetup(1, 1, 1, SliceSetup.UNBOUNDED, syncFreq,
                "127.0.0.1:" + masterAddress.getPort()), new float[1]), 5000);
        for (int step = 0; step < 200; step++) {
          PsClient.await(client.push(onCopy, Share.of(step, 1, 1, 1), new float[] {1f}), 5000);
        }
        PsClient.await(client.flush(onCopy), 10_000);
        SliceStats stats = copy.server().stats(1, 0);
        assertTrue(stats.maxSyncsInFlight() <= syncFreq, "in flight " + stats.maxSyncsInFlight());
        assertEquals(syncFreq, stats.maxSyncsInFlight(), "the slow master must fill the bound");
        assertEquals(-200f, masterServer.stats(1, 0).values()[0], 1e-4);
        assertEquals(-200f, stats.values()[0], 1e-4);
      }
      listening.close().syncUninterruptibly();
    } finally {
      delay.shutdownNow();
    }
  }
}
