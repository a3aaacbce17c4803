package io.sparkps.spark;

import io.sparkps.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * A driver for {@link CheckpointTest} to kill: fits {@link CheckpointTest#trainer} with a
 * checkpoint directory, prints its server pids when the training starts, and at the end writes
 * the weights to a file and prints the step it resumed from.
 *
 * <p>Arguments: checkpoint dir, weights file.
 */
public final class CheckpointingDriver {
  private CheckpointingDriver() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("checkpointing-driver")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ps.lease", CheckpointTest.LEASE)
        .config("spark.ps.heartbeatInterval", "500ms")
        .config("spark.ps.server.memory", "128m")
        .getOrCreate();
    TrainingJobs.onStart(spark.sparkContext(), () -> {
      System.out.println("SERVER_PIDS " + PsClusters.running(spark.sparkContext()).serverPids()
          .stream().map(String::valueOf).collect(Collectors.joining(",")));
      System.out.flush();
    });
    PSTrainerModel model = CheckpointTest.trainer().setMaxEpochs(CheckpointTest.KILLED_EPOCHS)
        .setCheckpointDir(args[0])
        .fit(CheckpointTest.data(spark));
    Files.writeString(Path.of(args[1]), CheckpointTest.weightsText(model));
    System.out.println("RESUMED_FROM " + model.summary().resumedFromStep());
    System.out.println("FIRST_STEPS " + model.summary().workers().stream()
        .map(w -> String.valueOf(w.firstStep())).collect(Collectors.joining(",")));
    System.out.flush();
    spark.stop();
  }
}
