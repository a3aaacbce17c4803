package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Co-located workers learn where the servers listen from the driver (its address exchange,
 * where the coordinator of separate servers would listen), not from Spark's {@code allGather}:
 * with that endpoint unreachable the fit fails at once, naming it.
 */
@Timeout(120)
class ColocatedAddressesTest {
  private static final List<String> KEYS = List.of("spark.ps.coordinator.host",
      "spark.ps.coordinator.bindAddress");
  private static SparkSession spark;
  private static Dataset<Row> train;

  @BeforeAll
  static void start() {
    spark = SharedSpark.get();
    train = TestData.a9aTrain(spark).limit(2000).cache();
    train.count();
  }

  @AfterEach
  void fresh() {
    KEYS.forEach(k -> spark.conf().unset(k));
  }

  @Test
  void workersAskTheDriverWhereTheServersListen() {
    // The exchange listens on 127.0.0.2 but is advertised as 127.0.0.1, where nothing answers.
    spark.conf().set("spark.ps.coordinator.host", "127.0.0.1");
    spark.conf().set("spark.ps.coordinator.bindAddress", "127.0.0.2");
    Exception e = assertThrows(Exception.class, () -> new PSTrainer()
        .setFramework("inmemory-hogwild").setNumWorkers(2).setMaxEpochs(1).fit(train));
    assertTrue(String.valueOf(e.getMessage()).contains("could not learn where the co-located "
        + "servers listen from the driver at 127.0.0.1"), e.toString());
  }

  @Test
  void aFitThroughTheDriversExchangeTrains() {
    spark.conf().set("spark.ps.coordinator.host", "127.0.0.1");
    spark.conf().set("spark.ps.coordinator.bindAddress", "127.0.0.1");
    PSTrainerModel model = new PSTrainer().setFramework("allreduce").setNumWorkers(2)
        .setMaxEpochs(1).fit(train);
    assertTrue(model.summary().finalLoss() < 0.6, "loss " + model.summary().finalLoss());
  }
}
