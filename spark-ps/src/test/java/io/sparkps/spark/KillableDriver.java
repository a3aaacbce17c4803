package io.sparkps.spark;

import io.sparkps.testing.TestData;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * A driver for {@link DriverCrashTest}: trains once, prints its server pids, then waits to be
 * killed.
 */
public final class KillableDriver {
  private KillableDriver() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("killable-driver")
        .config("spark.ui.enabled", "false")
        .config("spark.ps.lease", args[0])
        .config("spark.ps.heartbeatInterval", "500ms")
        .config("spark.ps.server.memory", "128m")
        .getOrCreate();
    new PSTrainer().setNumWorkers(2).setNumServers(2).setMaxEpochs(1)
        .fit(TestData.libsvm(spark, "spark/sample_libsvm_data.txt", 692));
    System.out.println("SERVER_PIDS " + PsClusters.running(spark.sparkContext()).serverPids()
        .stream().map(String::valueOf).collect(Collectors.joining(",")));
    System.out.flush();
    Thread.sleep(600_000);
  }
}
