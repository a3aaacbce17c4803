package io.sparkps.bench.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.bench.BenchSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FrameworksBench on a few thousand a9a rows, one epoch, two presets. The CSV it leaves in
 * {@code spark-ps-bench/target/bench-test/} is what bin/test plots to check the plot script.
 */
class FrameworksBenchTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = BenchSpark.local("FrameworksBenchTest", 2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void writesOneIncreasingLossCurvePerPreset() throws Exception {
    Path out = Path.of(System.getProperty("sparkps.root", "."), "spark-ps-bench", "target",
        "bench-test");
    FrameworksBench.DataSet a9a = FrameworksBench.a9a(spark, 4000, 1);
    List<FrameworksBench.PresetResult> results =
        FrameworksBench.run(a9a, List.of("sandblaster", "hogwild"), out);

    for (FrameworksBench.PresetResult r : results) {
      assertTrue(r.finalLoss() < 0.5, r.preset() + " loss " + r.finalLoss());
      assertTrue(r.testMetric() > 0.8, r.preset() + " AUC " + r.testMetric());
    }
    List<String> lines = Files.readAllLines(out.resolve("frameworks-a9a.csv"));
    assertEquals("preset,seconds,loss", lines.get(0));
    Map<String, Integer> points = new LinkedHashMap<>();
    Map<String, Double> last = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      assertEquals(3, cells.length, line);
      double seconds = Double.parseDouble(cells[1]);
      double loss = Double.parseDouble(cells[2]);
      assertTrue(Double.isFinite(loss) && loss >= 0, line);
      Double before = last.put(cells[0], seconds);
      assertTrue(before == null ? seconds > 0 : seconds > before, "time must increase: " + line);
      points.merge(cells[0], 1, Integer::sum);
    }
    assertEquals(List.of("sandblaster", "hogwild"), List.copyOf(points.keySet()));
    // 2000 rows per worker in batches of 64: 32 steps.
    assertEquals(Map.of("sandblaster", 32, "hogwild", 32), points);
    assertTrue(FrameworksBench.table(results, List.of(a9a)).contains("| a9a | hogwild |"));
  }
}
