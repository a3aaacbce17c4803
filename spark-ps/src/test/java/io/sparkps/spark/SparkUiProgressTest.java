package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a fit shows in the Spark UI, read through its REST API as a monitoring tool would: a
 * description on every job it runs, and the training stage's named accumulators.
 */
class SparkUiProgressTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    SharedSpark.get().stop();  // one SparkContext per JVM
    spark = SparkSession.builder().master("local[2]").appName("spark-ps-ui")
        .config("spark.ui.enabled", "true")
        .config("spark.ui.port", "0")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ps.server.memory", "256m")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static JsonNode get(String path) throws Exception {
    String base = spark.sparkContext().uiWebUrl().get();
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base + "/api/v1/applications/"
            + spark.sparkContext().applicationId() + path)).timeout(Duration.ofSeconds(30))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void everyJobOfAFitIsDescribedAndTheTrainingStageShowsItsCounts() throws Exception {
    // Four partitions for two workers: the fit runs its repartitioning job too.
    PSTrainerModel model = new PSTrainer().setFramework("sandblaster").setNumWorkers(2)
        .setNumServers(1).setOptimizer("sgd").setStepSize(0.1).setBatchSize(50)
        .setMaxEpochs(2).fit(TestData.generated(spark, 800, 4, 5, 4));
    spark.sparkContext().listenerBus().waitUntilEmpty();
    TrainingSummary summary = model.summary();

    JsonNode jobs = get("/jobs");
    assertTrue(jobs.size() >= 2, jobs.toString());
    JsonNode training = null;
    for (JsonNode job : jobs) {
      String description = job.path("description").asText("");
      assertFalse(description.isBlank(), "job without a description: " + job);
      if (description.startsWith(PSTrainer.TRAINING_JOB_PREFIX)) {
        training = job;
      }
    }
    assertNotNull(training, jobs.toString());

    // The job's last stage trains; the ones before it (the cached repartitioning) are skipped.
    int stageId = -1;
    for (JsonNode id : training.path("stageIds")) {
      stageId = Math.max(stageId, id.asInt());
    }
    JsonNode stage = get("/stages/" + stageId).get(0);
    Map<String, String> accumulators = new HashMap<>();
    for (JsonNode a : stage.path("accumulatorUpdates")) {
      accumulators.put(a.path("name").asText(), a.path("value").asText());
    }
    assertTrue(accumulators.containsKey("spark-ps steps"), stage.toString());
    assertEquals(summary.totalSteps(), Long.parseLong(accumulators.get("spark-ps steps")),
        accumulators.toString());
    assertEquals(summary.examples(), Long.parseLong(accumulators.get("spark-ps examples")),
        accumulators.toString());
    double lossSum = Double.parseDouble(accumulators.get("spark-ps loss sum"));
    assertTrue(lossSum > 0 && lossSum < summary.examples(), accumulators.toString());
  }
}
