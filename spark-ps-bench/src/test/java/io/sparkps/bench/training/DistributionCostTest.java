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
    DistributionCost.Case c = DistributionCost.a9a(spark, 4000, 2);
    c.trainer().setFramework("inmemory-hogwild");
    DistributionCost.CaseResult r = DistributionCost.measure(c, 1);
    assertEquals(4000, r.rows());
    // Log-loss starts at ln 2 = 0.693 with zero weights.
    assertTrue(r.localLoss() < 0.5, "single-process loss " + r.localLoss());
    assertTrue(r.psLoss() < 0.5, "spark-ps loss " + r.psLoss());
    assertTrue(Math.abs(r.localLoss() - r.psLoss()) < 0.08,
        "single-process " + r.localLoss() + " against spark-ps " + r.psLoss());
    assertTrue(r.local() > 0 && r.psSteady() > 0 && r.psWhole() > 0);
    // The fit's wall time holds its steps and more: the whole fit is slower than its steps.
    assertTrue(r.psWhole() < r.psSteady() && r.fixedSeconds() > 0,
        "whole " + r.psWhole() + ", steady " + r.psSteady() + ", fixed " + r.fixedSeconds());
    assertTrue(r.networkShare() > 0 && r.networkShare() < 1, "network " + r.networkShare());
    assertTrue(r.psMs()[2] > 0 && r.psMs()[3] > 0, "compute and push time per step");
    String table = DistributionCost.table(List.of(r));
    assertTrue(table.contains("| a9a LR | inmemory-hogwild | 4,000 x 2 | "), table);
  }

  /**
   * The baseline is the library's worker without Spark and servers: with one worker and the
   * same seed, spark-ps trains on the same batches in the same order from the same values, so
   * every step's loss is the same up to float rounding (the server applies the gradient sum
   * over the batch's count where the baseline applies the mean).
   */
  @Test
  void baselineStepsAreThoseOfOneSparkPsWorker() {
    for (boolean rowSparse : new boolean[] {false, true}) {
      DistributionCost.Case c = rowSparse ? DistributionCost.ctr(spark, 2000, 2)
          : DistributionCost.a9a(spark, 2000, 2);
      // A co-located server: the same updates as a server process, without starting one. One
      // step in flight, so that each step sees the values of the one before, as in the loop.
      double[] ps;
      spark.conf().set("spark.ps.maxInFlight", "1");
      try {
        ps = c.trainer().setFramework("inmemory-hogwild").setNumWorkers(1).setSeed(7)
            .fit(c.frame()).summary().stepLoss();
      } finally {
        spark.conf().unset("spark.ps.maxInFlight");
      }
      double[] local = c.loop().train(c.examples(), 2, 7, 1).stepLoss();
      assertEquals(2 * c.loop().stepsPerEpoch(c.examples()), local.length);
      assertEquals(local.length, ps.length);
      for (int i = 0; i < local.length; i++) {
        assertEquals(local[i], ps[i], 1e-4, (rowSparse ? "ctr" : "a9a") + " step " + i);
      }
    }
  }

  @Test
  void mlpTrainsAlikeOnBothPaths() {
    DistributionCost.CaseResult r = DistributionCost.measure(
        DistributionCost.mnist(spark, 1000, 1), 1);
    // Cross-entropy of a uniform guess over 10 classes is ln 10 = 2.30.
    assertTrue(r.localLoss() < 1.5, "single-process loss " + r.localLoss());
    assertTrue(r.psLoss() < 1.5, "spark-ps loss " + r.psLoss());
    assertTrue(Math.abs(r.localLoss() - r.psLoss()) < 0.5,
        "single-process " + r.localLoss() + " against spark-ps " + r.psLoss());
  }
}
