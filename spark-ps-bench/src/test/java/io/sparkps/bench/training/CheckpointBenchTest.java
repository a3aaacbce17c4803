package io.sparkps.bench.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.bench.BenchSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CheckpointBench on a small MLP: both fits train, checkpoints are seen and measured. */
class CheckpointBenchTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = BenchSpark.local("CheckpointBenchTest", 2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void measuresCheckpointsAgainstTheSameFitWithout() throws Exception {
    Path dir = Files.createTempDirectory("ckpt-bench-test-");
    try {
      CheckpointBench.Result r = CheckpointBench.measure(spark, 1000, 20, new int[] {32}, 1,
          16, 5, 1, dir);
      assertEquals(1, r.without().size());
      assertEquals(1, r.with().size());
      CheckpointBench.Fit with = r.with().get(0);
      assertEquals(r.without().get(0).stepSeconds().length, with.stepSeconds().length);
      assertFalse(with.checkpoints().isEmpty(), "no checkpoint seen");
      for (CheckpointBench.Written w : with.checkpoints()) {
        assertTrue(w.step() > 0 && w.step() % 5 == 0, w.toString());
        assertTrue(w.bytes() > 4 * (20 * 32 + 32 * 2), w.toString());
        assertTrue(w.millis() >= 0, w.toString());
      }
      assertTrue(r.without().get(0).longestStep() > 0 && with.longestStep() > 0);
      String table = CheckpointBench.table(r);
      assertTrue(table.contains("| 1 | with checkpoints |"), table);
      assertTrue(table.contains("with / without checkpoints: longest step"), table);
    } finally {
      CheckpointBench.delete(dir);
    }
  }
}
