package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** A validation setting that cannot work is refused by fit, naming the param, before any process starts. */
class ValidationSettingsTest {

  private static Set<Long> children() {
    return ProcessHandle.current().descendants().map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "missing column | nope | 0 | validationIndicatorCol | is not a column",
      "numeric column | label | 0 | validationIndicatorCol | must name a boolean column",
      "early stopping without a validation set | | 2 | earlyStoppingRounds | needs a validation set",
      "no validation rows | none | 0 | validationIndicatorCol | is true on none of the 100 rows",
      "no training rows | all | 2 | validationIndicatorCol | leaving none to train on",
  })
  void refused(String name, String column, int rounds, String param, String says) {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.libsvm(spark, "spark/sample_libsvm_data.txt", 692)
        .withColumn("none", functions.lit(false))
        .withColumn("all", functions.lit(true));
    PSTrainer trainer = new PSTrainer().setNumWorkers(2).setNumServers(3).setMaxEpochs(1)
        .setValidationIndicatorCol(column == null ? "" : column).setEarlyStoppingRounds(rounds);
    io.sparkps.cluster.PsCluster before = PsClusters.running(spark.sparkContext());
    Set<Long> processesBefore = children();
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> trainer.fit(data));
    assertEquals(param, e.setting(), e.getMessage());
    assertTrue(e.getMessage().contains(param) && e.getMessage().contains(says), e.getMessage());
    // numServers=3 differs from any cluster other tests left running, so starting one would show.
    assertEquals(before, PsClusters.running(spark.sparkContext()));
    assertTrue(processesBefore.containsAll(children()), "a process was started: " + children());
  }
}
