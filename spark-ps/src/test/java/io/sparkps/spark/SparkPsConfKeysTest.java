package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.InvalidConfigException;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The topology can come from spark.ps.* settings alone, and a misspelt key is refused. */
class SparkPsConfKeysTest {

  @Test
  void frameworkAndSizesFromSessionSettings() {
    SparkSession spark = SharedSpark.get();
    spark.conf().set("spark.ps.framework", "downpour");
    spark.conf().set("spark.ps.numWorkerGroups", "2");
    spark.conf().set("spark.ps.numServers", "1");
    try {
      TrainingSummary s = new PSTrainer().setMaxEpochs(1)
          .fit(TestData.generated(spark, 200, 4, 6, 2)).summary();
      assertEquals("downpour", s.framework());
      assertEquals(2, s.numWorkers());
      assertEquals(1, s.numServers());
      assertEquals(2, s.workers().stream().map(TrainingSummary.WorkerStats::group).distinct()
          .count(), "two worker groups of one worker each");
    } finally {
      spark.conf().unset("spark.ps.framework");
      spark.conf().unset("spark.ps.numWorkerGroups");
      spark.conf().unset("spark.ps.numServers");
    }
  }

  @Test
  void aMisspeltKeyIsRefusedNamingTheRightOne() {
    SparkSession spark = SharedSpark.get();
    spark.conf().set("spark.ps.numServrs", "2");
    try {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> new PSTrainer().fit(TestData.generated(spark, 100, 4, 6, 2)));
      assertTrue(e.getMessage().contains("spark.ps.numServrs"), e.getMessage());
      assertTrue(e.getMessage().contains("spark.ps.numServers"), e.getMessage());
    } finally {
      spark.conf().unset("spark.ps.numServrs");
    }
  }
}
