package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.transport.ProgressReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How workers' reports become events: each epoch end once, in order, nothing counted twice. */
class ProgressTrackerTest {
  private static final long RUN = 7L << 32;

  private static List<TrainingProgress> track(ProgressReport... reports) {
    TrainingListenerTest.Recorder recorder = new TrainingListenerTest.Recorder();
    TrainingEvents events = new TrainingEvents(List.of(recorder));
    ProgressTracker tracker = new ProgressTracker(2, 3, 200, 60_000, events, null);
    for (ProgressReport r : reports) {
      tracker.report(r);
    }
    events.close();
    return recorder.events.stream().map(e -> (TrainingProgress) e).toList();
  }

  private static ProgressReport end(int worker, int attempt, int epoch, long examples,
      double lossSum) {
    return new ProgressReport(RUN, worker, attempt, epoch, true, examples / 10, examples,
        lossSum);
  }

  @Test
  void anEpochEndsWhenEveryWorkerEndedItWithTheMeanOfTheWorkersLosses() {
    List<TrainingProgress> events = track(end(0, 0, 0, 100, 50), end(1, 0, 0, 50, 10));
    assertEquals(1, events.size());
    TrainingProgress p = events.get(0);
    assertTrue(p.epochEnded());
    assertEquals(1, p.epoch());
    assertEquals(150, p.examples());
    // Worker means 0.5 and 0.2, averaged over the workers as the summary's epochLoss is.
    assertEquals(0.35, p.loss(), 1e-12);
    assertTrue(p.etaSeconds() > 0);
  }

  @Test
  void aRetriedTaskReplacesItsEarlierAttemptAndLateReportsOfTheOldOneAreIgnored() {
    List<TrainingProgress> events = track(
        new ProgressReport(RUN, 0, 0, 0, false, 5, 50, 40),   // attempt 0, within the epoch
        end(1, 0, 0, 100, 30),
        new ProgressReport(RUN, 0, 1, 0, false, 3, 30, 30),   // attempt 1 resumed
        new ProgressReport(RUN, 0, 0, 0, true, 10, 100, 80),  // attempt 0's late end: ignored
        end(0, 1, 0, 60, 30),
        end(0, 1, 1, 100, 20), end(1, 0, 1, 100, 20),
        end(0, 1, 1, 100, 20));                               // sent again: announced once
    List<TrainingProgress> ends = events.stream().filter(TrainingProgress::epochEnded).toList();
    assertEquals(List.of(1, 2), ends.stream().map(TrainingProgress::epoch).toList());
    assertEquals(160, ends.get(0).examples());
    assertEquals((0.5 + 0.3) / 2, ends.get(0).loss(), 1e-12);
    assertEquals(360, ends.get(1).examples());
    // Within-epoch progress before the end, never after it.
    assertFalse(events.get(0).epochEnded());
    assertEquals(1, events.stream().filter(p -> !p.epochEnded()).count());
  }

  @Test
  void aStageRunAgainReplacesTheOldRunsReports() {
    long later = RUN + (1L << 32);
    List<TrainingProgress> events = track(
        end(0, 0, 0, 100, 50),
        new ProgressReport(later, 0, 0, 0, true, 10, 80, 8),
        new ProgressReport(RUN, 1, 0, 0, true, 10, 100, 10),
        new ProgressReport(RUN, 0, 0, 0, true, 10, 100, 50));  // the old run, late: ignored
    assertEquals(1, events.size());
    assertEquals(180, events.get(0).examples());
    assertEquals((0.1 + 0.1) / 2, events.get(0).loss(), 1e-12);
  }
}
