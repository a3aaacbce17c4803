package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fit's progress reaches its listeners on the driver while it runs: from every framework's
 * workers over the fit's driver channel, aggregated as the summary aggregates.
 */
class TrainingListenerTest {

  /** Every event, in the order the listener heard them, and the threads it heard them on. */
  static final class Recorder implements TrainingListener {
    final List<Object> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> threads = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void fitStarted(TrainingStart start) {
      record(start);
    }

    @Override
    public void progressed(TrainingProgress progress) {
      record(progress);
    }

    @Override
    public void fitEnded(TrainingSummary summary) {
      record(summary);
    }

    private void record(Object event) {
      events.add(event);
      threads.add(Thread.currentThread().getName());
    }

    List<TrainingProgress> epochEnds() {
      return events.stream().filter(e -> e instanceof TrainingProgress p && p.epochEnded())
          .map(e -> (TrainingProgress) e).toList();
    }
  }

  @AfterEach
  void unset() {
    SharedSpark.get().conf().unset("spark.ps.progress.interval");
  }

  private static PSTrainer trainer(String framework) {
    // Hogwild: one co-located server per worker group, and at most one per worker.
    return new PSTrainer().setFramework(framework).setNumWorkers(2)
        .setNumServers(framework.contains("hogwild") ? 1 : 2)
        .setOptimizer("sgd").setStepSize(0.1).setBatchSize(25).setMaxEpochs(3).setSeed(3);
  }

  @Test
  void everyFrameworkReportsOneEpochEndPerEpochAggregatedAsTheSummary() {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> data = TestData.generated(spark, 600, 4, 17, 2);
    for (String framework : List.of("sandblaster", "downpour", "allreduce", "hogwild",
        "inmemory-hogwild")) {
      Recorder recorder = new Recorder();
      TrainingListener throwing = new TrainingListener() {
        @Override
        public void progressed(TrainingProgress p) {
          throw new IllegalStateException("a listener that fails");
        }
      };
      PSTrainerModel model = trainer(framework).addListener(throwing).addListener(recorder)
          .fit(data);
      TrainingSummary summary = model.summary();

      assertTrue(recorder.events.get(0) instanceof TrainingStart, framework);
      TrainingStart start = (TrainingStart) recorder.events.get(0);
      assertEquals(framework, start.framework());
      assertEquals(2, start.numWorkers());
      assertEquals(3, start.maxEpochs());
      assertEquals("0.1", start.params().get("stepSize"));
      assertEquals(summary, recorder.events.get(recorder.events.size() - 1), framework);
      assertEquals(1, recorder.threads.stream().distinct().count(), framework);
      assertFalse(recorder.threads.contains(Thread.currentThread().getName()));

      List<TrainingProgress> ends = recorder.epochEnds();
      assertEquals(3, ends.size(), framework + ": " + recorder.events);
      long previous = 0;
      for (int e = 0; e < 3; e++) {
        TrainingProgress p = ends.get(e);
        assertEquals(e + 1, p.epoch(), framework);
        assertEquals(3, p.maxEpochs());
        assertEquals(summary.epochLoss()[e], p.loss(), 1e-9, framework + " epoch " + (e + 1));
        assertTrue(p.examples() > previous, framework);
        previous = p.examples();
        assertTrue(p.examplesPerSecond() > 0, framework);
        assertTrue(Double.isNaN(p.validationLoss()));
      }
      assertEquals(summary.examples(), ends.get(2).examples(), framework);
      assertEquals(0.0, ends.get(2).etaSeconds(), 1e-9, framework);
      assertTrue(ends.get(0).etaSeconds() > 0, framework);
    }
  }

  @Test
  void aFailedFitLeavesNoThreadOfItsDriverChannelOrListenersBehind() throws Exception {
    SparkSession spark = SharedSpark.get();
    Recorder recorder = new Recorder();
    // A step size that makes the training diverge: the workers fail the fit.
    PSTrainer trainer = trainer("allreduce").setStepSize(1e30).addListener(recorder);
    assertThrows(RuntimeException.class,
        () -> trainer.fit(TestData.generated(spark, 600, 4, 17, 2)));
    assertTrue(recorder.events.get(0) instanceof TrainingStart);
    assertFalse(recorder.events.stream().anyMatch(e -> e instanceof TrainingSummary));
    List<String> left = List.of();
    for (int i = 0; i < 100; i++) {
      left = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
          .filter(n -> n.startsWith("ps-fit-") || n.startsWith("spark-ps-training-listeners")
              || n.startsWith("spark-ps-epoch-gate"))
          .toList();
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(List.of(), left);
  }

  @Test
  void epochsLongerThanTheIntervalAreReportedWithin() {
    SparkSession spark = SharedSpark.get();
    spark.conf().set("spark.ps.progress.interval", "20ms");
    Recorder recorder = new Recorder();
    // Worker 0's steps take 10 ms more: 12 steps an epoch, far longer than the interval.
    PSTrainer trainer = trainer("downpour").setMaxEpochs(2).setBatchSize(25)
        .setModel(new SlowWorkerModel(0, 10));
    PSTrainerModel model = trainer.addListener(recorder)
        .fit(TestData.generated(spark, 600, 4, 17, 2));
    List<TrainingProgress> within = recorder.events.stream()
        .filter(e -> e instanceof TrainingProgress p && !p.epochEnded())
        .map(e -> (TrainingProgress) e).toList();
    assertFalse(within.isEmpty(), String.valueOf(recorder.events));
    for (TrainingProgress p : within) {
      assertTrue(p.examples() > 0 && p.examples() <= model.summary().examples(), "" + p);
      assertTrue(p.loss() > 0, "" + p);
    }
    assertEquals(2, recorder.epochEnds().size());
  }
}
