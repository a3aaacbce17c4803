package io.sparkps.bench.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.bench.BenchSpark;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DistributionCost on a few thousand rows, one epoch: both paths train, to similar losses. */
class DistributionCostTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = BenchSpark.local("DistributionCostTest", 2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void logisticRegressionTrainsAlikeOnBothPathsWithACoLocatedServer() {
    DistributionCost.Case c = DistributionCost.a9a(spark, 4000, 1);
    c.trainer().setFramework("inmemory-hogwild");
    DistributionCost.CaseResult r = DistributionCost.measure(c, 1);
    assertEquals(4000, r.rows());
    // Log-loss starts at ln 2 = 0.693 with zero weights.
    assertTrue(r.localLoss() < 0.5, "single-process loss " + r.localLoss());
    assertTrue(r.psLoss() < 0.5, "spark-ps loss " + r.psLoss());
    assertTrue(Math.abs(r.localLoss() - r.psLoss()) < 0.08,
        "single-process " + r.localLoss() + " against spark-ps " + r.psLoss());
    assertTrue(r.local() > 0 && r.psStage() > 0 && r.psLoops() >= r.psStage());
    assertTrue(r.psMs()[2] > 0 && r.psMs()[3] > 0, "compute and push time per step");
    assertTrue(DistributionCost.table(List.of(r))
        .contains("| a9a LR | inmemory-hogwild | 4000 x 1 |"));
  }

  @Test
  void mlpTrainsAlikeOnBothPaths() {
    DistributionCost.CaseResult r = DistributionCost.measure(
        DistributionCost.mnist(spark, 2000, 1), 1);
    // Cross-entropy of a uniform guess over 10 classes is ln 10 = 2.30.
    assertTrue(r.localLoss() < 1.5, "single-process loss " + r.localLoss());
    assertTrue(r.psLoss() < 1.5, "spark-ps loss " + r.psLoss());
    assertTrue(Math.abs(r.localLoss() - r.psLoss()) < 0.5,
        "single-process " + r.localLoss() + " against spark-ps " + r.psLoss());
  }
}
