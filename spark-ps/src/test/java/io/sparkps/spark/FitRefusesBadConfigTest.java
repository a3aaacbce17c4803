package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.cluster.PsCluster;
import io.sparkps.config.InvalidConfigException;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A configuration that cannot work is refused by fit before any process starts. */
class FitRefusesBadConfigTest {

  private static Set<Long> children() {
    return ProcessHandle.current().descendants().map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "more workers than slots | numWorkers=3 | spark.executor.cores",
      "unknown framework | framework=ring | framework",
      "unknown optimizer | optimizer=newton | optimizer",
      "labels not 0/1 | labels=-1/+1 | labelCol",
      "missing column | featuresCol=nope | featuresCol",
      "replicated co-located servers | replication=hogwild | spark.ps.replication",
      "replicated server groups | replication=downpour | spark.ps.numServerGroups",
      "elastic synchronous group | elastic=sandblaster | spark.ps.elasticWorkers",
      "elastic co-located servers | elastic=hogwild | spark.ps.elasticWorkers",
      "elastic under a staleness bound | elastic=downpour | spark.ps.elasticWorkers",
  })
  void refusedBeforeAnyProcessStarts(String name, String change, String named) {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.libsvm(spark, "spark/sample_libsvm_data.txt", 692);
    PSTrainer trainer = new PSTrainer().setNumWorkers(2).setNumServers(3).setMaxEpochs(1);
    String[] kv = change.split("=");
    switch (kv[0]) {
      case "numWorkers" -> trainer.setNumWorkers(Integer.parseInt(kv[1]));
      case "framework" -> trainer.setFramework(kv[1]);
      case "optimizer" -> trainer.setOptimizer(kv[1]);
      case "featuresCol" -> trainer.setFeaturesCol(kv[1]);
      case "labels" -> data = data.withColumn("label",
          functions.when(functions.col("label").gt(0), 1.0).otherwise(-1.0));
      case "replication" -> {
        trainer.setFramework(kv[1]);
        spark.conf().set("spark.ps.replication", "1");
        if (kv[1].equals("hogwild")) {
          trainer.setNumServers(1);  // one co-located server per worker group
        }
        if (kv[1].equals("downpour")) {
          spark.conf().set("spark.ps.numServerGroups", "2");
        }
      }
      case "elastic" -> {
        trainer.setFramework(kv[1]);
        spark.conf().set("spark.ps.elasticWorkers", "true");
        if (kv[1].equals("hogwild")) {
          trainer.setNumServers(1);
        }
        if (kv[1].equals("downpour")) {
          trainer.setStaleness(2);
        }
      }
      default -> throw new AssertionError(kv[0]);
    }
    PsCluster before = PsClusters.running(spark.sparkContext());
    Set<Long> processesBefore = children();
    Dataset<Row> input = data;
    InvalidConfigException e;
    try {
      e = assertThrows(InvalidConfigException.class, () -> trainer.fit(input));
    } finally {
      spark.conf().unset("spark.ps.replication");
      spark.conf().unset("spark.ps.numServerGroups");
      spark.conf().unset("spark.ps.elasticWorkers");
    }
    assertTrue(e.getMessage().contains(named), e.getMessage());
    // numServers=3 differs from any cluster other tests left running, so starting one would show.
    assertEquals(before, PsClusters.running(spark.sparkContext()));
    assertTrue(processesBefore.containsAll(children()), "a process was started: " + children());
  }

  @org.junit.jupiter.api.Test
  void elasticNetSplitsRegParamBetweenL1AndL2() {
    io.sparkps.config.OptimizerConfig c = new PSTrainer().setOptimizer("ftrl").setRegParam(0.4)
        .setElasticNetParam(0.25).optimizerConfig();
    assertEquals(io.sparkps.config.OptimizerType.FTRL, c.type());
    assertEquals(0.1f, c.l1(), 1e-7);
    assertEquals(0.3f, c.l2(), 1e-7);
  }
}
