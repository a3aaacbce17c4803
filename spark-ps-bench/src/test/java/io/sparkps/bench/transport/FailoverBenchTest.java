package io.sparkps.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FailoverBench's code path at a small size, against real server JVMs killed with SIGKILL:
 * every kill is seen and failed over, the slices it served pause and come back, and both
 * overhead comparisons produce a figure.
 */
@Timeout(240)
class FailoverBenchTest {
  @TempDir Path out;

  @Test
  void smallRunKillsServersAndComparesReplication() throws Exception {
    FailoverBench.Result r = FailoverBench.run("--kills", "2", "--slices", "6",
        "--slice-floats", "1024", "--dense-floats", "65536", "--dense-requests", "40",
        "--rounds", "1", "--a9a-rows", "4000", "--a9a-epochs", "1", "--out", out.toString());

    assertEquals(2, r.kills().size());
    for (FailoverBench.Kill k : r.kills()) {
      assertTrue(k.detectMs() >= 0, k.toString());
      assertTrue(k.takeOverMs() >= 0, "the backups took over: " + k);
      for (double pause : k.pausesMs()) {
        // Served again within the measured window: a slice not served again in the second
        // after the kill would show a gap of at least that second.
        assertTrue(pause > 0 && pause < 1000, k.toString());
      }
    }
    assertFalse(r.kills().stream().allMatch(k -> k.pausesMs().isEmpty()),
        "some killed server was a primary");
    assertTrue(r.denseRatio() > 0, "dense ratio " + r.denseRatio());
    assertEquals(List.of("sandblaster", "downpour"), List.copyOf(r.trainingRatios().keySet()));
    r.trainingRatios().values().forEach(v -> assertTrue(v > 0, r.trainingRatios().toString()));
    String md = Files.readString(out.resolve("FailoverBench.md"));
    assertTrue(md.contains("pause p50 ms") && md.contains("a9a downpour"), md);
  }
}
