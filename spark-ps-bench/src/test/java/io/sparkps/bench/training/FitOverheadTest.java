package io.sparkps.bench.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.bench.BenchSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FitOverhead on a few thousand a9a rows, two rounds: both frameworks fit and are timed. */
class FitOverheadTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = BenchSpark.local("FitOverheadTest", 2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void timesBothFrameworksEachRound() {
    Dataset<Row> train = BenchData.cached(BenchData.a9aTrain(spark, 4000));
    List<FitOverhead.Fits> fits = FitOverhead.measure(train,
        List.of("sandblaster", "inmemory-hogwild"), 2);

    assertEquals(2, fits.size());
    for (FitOverhead.Fits f : fits) {
      assertEquals(2, f.fit().length);
      assertTrue(f.medianFit() >= f.medianStage() && f.medianStage() > 0, f.toString());
      assertTrue(f.finalLoss() < 0.6, f.framework() + " loss " + f.finalLoss());
    }
    String table = FitOverhead.table(fits, 4000);
    assertTrue(table.contains("| inmemory-hogwild |"), table);
    assertTrue(table.contains("| sandblaster |"), table);
  }
}
