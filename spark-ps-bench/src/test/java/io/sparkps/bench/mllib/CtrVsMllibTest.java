package io.sparkps.bench.mllib;

import io.sparkps.bench.BenchArgs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CtrVsMllib at 20k features and 20k rows: both systems in driver JVMs of their own, each with
 * two executor JVMs (and spark-ps's two servers), watched from this JVM.
 */
class CtrVsMllibTest {
  @Test
  void bothSystemsTrainAndEveryProcessIsMeasuredAndGone(@TempDir Path dir) throws Exception {
    BenchArgs args = CtrVsMllib.args("--features", "20000", "--rows", "20000", "--test-rows",
        "5000", "--warmup-rows", "0", "--ps-epochs", "1,2", "--mllib-iters", "1,5",
        "--driver-heap", "1g", "--executor-mb", "768", "--time-limit-min", "3", "--out",
        dir.resolve("CtrVsMllib.md").toString());
    List<CtrVsMllib.Run[]> results = CtrVsMllib.measure(args);
    assertEquals(1, results.size());
    CtrVsMllib.Run ps = results.get(0)[0];
    CtrVsMllib.Run mllib = results.get(0)[1];
    double target = CtrVsMllib.target(ps, mllib, 0.002);
    Set<Long> pids = new HashSet<>();
    for (CtrVsMllib.Run r : results.get(0)) {
      assertNull(r.failure(), r.system());
      assertEquals(2, r.fits().size(), r.system() + " " + r.fits());
      assertTrue(r.bestAuc() > 0.6, r.system() + " " + r.fits());
      assertNotNull(r.first(target), r.system() + " reaches " + target);
      assertTrue(r.driverRss() > 0 && r.driverHeap() > 0, r.system() + " driver memory");
      assertEquals(2, r.executors().size(), r.system() + " " + r.executors());
      List<ProcessTree.Peak> all = new ArrayList<>(r.driver());
      all.addAll(r.executors());
      all.addAll(r.servers());
      for (ProcessTree.Peak p : all) {
        assertTrue(p.bytes() > 0, p.toString());
        assertTrue(pids.add(p.pid()), "pid seen twice: " + p);
      }
      assertEquals(0, r.killed(), r.system() + ": processes left running");
      assertTrue(r.cache().inputBytes() > 0 && r.cache().executorHeap() > 0,
          r.system() + " " + r.cache());
    }
    assertEquals(2, ps.servers().size(), ps.servers().toString());
    // spark-ps caches its examples for the length of a fit.
    assertTrue(ps.cache().fitBytes() > 0, ps.cache().toString());
    assertTrue(mllib.servers().isEmpty(), mllib.servers().toString());
    assertTrue(!pids.contains(ProcessHandle.current().pid()));
    assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count());
    String table = CtrVsMllib.report(args, results).toString();
    assertTrue(table.contains("| 20,000 | spark-ps |") && table.contains("| 20,000 | mllib |"),
        table);
  }
}
