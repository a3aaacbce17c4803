package io.sparkps.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.cluster.SliceMove;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ResizeBench's code path at a small size, against real server JVMs: the cluster grows and
 * shrinks under push load, primaries switch, every moved primary is served again within the
 * window around its switch, and a fit goes on training while its servers change.
 */
@Timeout(300)
class ResizeBenchTest {
  @TempDir Path out;

  @Test
  void smallRunMovesSlicesUnderLoadAndTrainsThroughAResize() throws Exception {
    ResizeBench.Result r = ResizeBench.run("--slices", "8", "--slice-floats", "4096",
        "--a9a-epochs", "8", "--resize-after-ms", "1000", "--out", out.toString());

    assertTrue(r.moved().stream().anyMatch(m -> m.reason().equals("join") && m.primary()),
        r.moved().toString());
    assertTrue(r.moved().stream().anyMatch(m -> m.reason().equals("leave")),
        r.moved().toString());
    assertEquals(r.moved().stream().filter(SliceMove::primary).count(), r.gapsMs().size());
    for (double gap : r.gapsMs()) {
      // A moved primary not served again after its switch would show a gap as long as the
      // rest of the window watched.
      assertTrue(gap > 0 && gap < ResizeBench.WINDOW_AFTER_MS, r.gapsMs().toString());
    }
    for (double eps : r.examplesPerSecond()) {
      assertTrue(eps > 0, "no training while the servers changed: "
          + java.util.Arrays.toString(r.examplesPerSecond()));
    }
    String md = Files.readString(out.resolve("ResizeBench.md"));
    assertTrue(md.contains("switch p99 ms") && md.contains("while 2 -> 4"), md);
    assertFalse(md.contains("NaN"), md);
  }
}
