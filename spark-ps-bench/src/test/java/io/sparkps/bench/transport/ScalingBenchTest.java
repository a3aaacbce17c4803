package io.sparkps.bench.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.bench.MarkdownTable;
import io.sparkps.config.OptimizerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ScalingBench's code path at a small size, against real server JVMs: the memory figures are
 * the server's own count and a live heap within a sane bound of it; one timing row per size
 * and server count.
 */
@Timeout(150)
class ScalingBenchTest {
  private static final int FLOATS = 4_000_000;

  @TempDir Path out;

  @Test
  void smallRunMeasuresEveryOptimizerAndServerCount() throws Exception {
    ScalingBench.Result r = ScalingBench.run("--memory-floats", Integer.toString(FLOATS),
        "--updates", "2", "--sizes", "100000,300000", "--servers", "1,2", "--repeats", "1",
        "--scaling-heap-mb", "512", "--out", out.toString());

    List<ScalingBench.Memory> memory = r.memoryFigures();
    assertEquals(List.of(OptimizerType.SGD, OptimizerType.ADAGRAD, OptimizerType.ADAM),
        memory.stream().map(ScalingBench.Memory::optimizer).toList());
    for (ScalingBench.Memory m : memory) {
      long floor = (long) FLOATS * Float.BYTES * (1 + m.stateFloats());
      assertTrue(m.countedBytes() >= floor && m.countedBytes() < floor + 1024,
          m + ": the server counts values and state");
      // The live heap holds at least most of that, and no copy of it per step.
      assertTrue(m.ratio() > 0.8 && m.ratio() < 1.6, m + ": ratio " + m.ratio());
    }

    List<List<String>> rows = r.scaling().rows();
    assertEquals(4, rows.size());
    for (List<String> row : rows) {
      assertTrue(MarkdownTable.parse(row.get(2)) >= MarkdownTable.parse(row.get(1)),
          "every server holds a slice: " + row);
      assertTrue(MarkdownTable.parse(row.get(3)) > 0 && MarkdownTable.parse(row.get(5)) > 0,
          "timed: " + row);
    }
    assertTrue(Files.readString(out.resolve("ScalingBench.md")).contains("| ADAM |"));
  }
}
