package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.cluster.PsCluster;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Servers are separate JVMs without Spark, reused across fits, and stopped with Spark. */
class ServerLifecycleTest {

  @Test
  void serversAreSeparateJvmsReusedAcrossFitsAndStoppedWithTheSparkContext() throws Exception {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.libsvm(spark, "spark/sample_libsvm_data.txt", 692);
    PSTrainer trainer = new PSTrainer().setNumWorkers(2).setNumServers(2).setMaxEpochs(1);
    trainer.fit(data);
    PsCluster cluster = PsClusters.running(spark.sparkContext());
    List<Long> pids = cluster.serverPids();
    assertEquals(2, pids.size());
    for (long pid : pids) {
      assertNotEquals(ProcessHandle.current().pid(), pid);
      ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
      assertTrue(h.isAlive());
      String cmd = h.info().commandLine().orElse("");
      assertTrue(cmd.contains("io.sparkps.server.ServerMain"), cmd);
      assertFalse(cmd.contains("spark-core") || cmd.contains("spark-sql"),
          "server classpath must not carry Spark: " + cmd);
    }

    trainer.fit(data);
    assertSame(cluster, PsClusters.running(spark.sparkContext()), "second fit reuses servers");
    assertEquals(pids, PsClusters.running(spark.sparkContext()).serverPids());

    spark.stop();
    for (long pid : pids) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      if (h.isPresent()) {
        h.get().onExit().get(15, TimeUnit.SECONDS);
      }
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "server " + pid + " survived SparkContext.stop()");
    }
  }
}
