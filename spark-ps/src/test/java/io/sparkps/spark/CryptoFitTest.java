package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spark.ps.crypto.enabled=true through PSTrainer.fit: synchronous SGD with a fixed seed
 * is deterministic, so an encrypted fit must end with the weights of the same fit without
 * encryption. Sandblaster's two server JVMs (replicated to each other) and its coordinator
 * then serve only encrypted connections; allreduce hosts its servers in the executors.
 * SharedSpark's 3 s lease is raised for these fits: new server JVMs on a loaded machine (these
 * fits start two clusters) must not be taken for lost while they start.
 */
class CryptoFitTest {
  private static final String KEY = "spark.ps.crypto.enabled";
  private static final String LEASE = "spark.ps.lease";
  private static SparkSession spark;
  private static Dataset<Row> train;

  @BeforeAll
  static void start() {
    spark = SharedSpark.get();
    train = TestData.generated(spark, 4000, 30, 11, 2).cache();
    train.count();
  }

  @AfterAll
  static void stop() {
    train.unpersist();
  }

  @BeforeEach
  void longLease() {
    spark.conf().set(LEASE, "10s");
  }

  @AfterEach
  void asBefore() {
    spark.conf().unset(KEY);
    spark.conf().unset(LEASE);
    // Its lease or its encryption is not what the next test expects.
    PsClusters.stop(spark.sparkContext().applicationId());
  }

  private static PSTrainer sgd(String framework) {
    return new PSTrainer().setFramework(framework).setNumWorkers(2).setNumServers(2)
        .setOptimizer("sgd").setStepSize(0.1).setBatchSize(32).setMaxEpochs(2).setSeed(7);
  }

  @Test
  void sandblasterEncryptedEndsWithTheWeightsOfThePlainFit() {
    PSTrainerModel plain = sgd("sandblaster").fit(train);
    assertFalse(PsClusters.running(spark.sparkContext()).info().encrypted());
    spark.conf().set(KEY, "true");
    PSTrainerModel encrypted = sgd("sandblaster").fit(train);
    assertTrue(PsClusters.running(spark.sparkContext()).info().encrypted(),
        "the fit restarted the servers with encryption");
    Weights.assertSame(plain, encrypted);
  }

  @Test
  void allreduceEncryptedEndsWithTheWeightsOfThePlainFit() {
    PSTrainerModel plain = sgd("allreduce").fit(train);
    spark.conf().set(KEY, "true");
    Weights.assertSame(plain, sgd("allreduce").fit(train));
  }
}
