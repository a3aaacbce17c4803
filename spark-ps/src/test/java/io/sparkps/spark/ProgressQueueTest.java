package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a reader of a fit's events gets from the queue, and what a full queue drops. */
class ProgressQueueTest {

  private static TrainingProgress progress(int epoch, boolean ended) {
    return new TrainingProgress(epoch, 3, ended, 100L * epoch, 0.5, 1000, 0.1 * epoch, 1.0,
        Double.NaN, null, Double.NaN);
  }

  private static TrainingSummary summary() {
    return new TrainingSummary("sandblaster", 2, 2, new double[] {0.4}, new double[] {0.4},
        new double[] {0.1}, 1, 100, 0.1, List.of(), 0, 0, 0, 0, 0, 0, Double.NaN, 1, 0, null,
        List.of());
  }

  @Test
  void eventsComeOutInOrderAndPollWaitsOnlyItsTimeout() throws InterruptedException {
    ProgressQueue queue = new ProgressQueue(8);
    long before = System.nanoTime();
    assertNull(queue.poll(50));
    assertTrue(System.nanoTime() - before >= 40_000_000L, "poll returned before its timeout");
    TrainingStart start = new TrainingStart("sandblaster", 2, 2, 3, 10, 1280, Map.of());
    TrainingProgress epoch1 = progress(1, true);
    TrainingSummary end = summary();
    queue.fitStarted(start);
    queue.progressed(epoch1);
    assertFalse(queue.ended());
    queue.fitEnded(end);
    assertTrue(queue.ended());
    assertSame(start, queue.poll(0));
    assertSame(epoch1, queue.poll(0));
    assertSame(end, queue.poll(0));
    assertNull(queue.poll(0));
  }

  @Test
  void aWaitingPollWakesWhenAnEventComes() throws Exception {
    ProgressQueue queue = new ProgressQueue(8);
    TrainingProgress p = progress(1, false);
    Thread producer = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      queue.progressed(p);
    });
    producer.start();
    long before = System.nanoTime();
    assertSame(p, queue.poll(10_000));
    assertTrue(System.nanoTime() - before < 5_000_000_000L, "poll did not wake on the event");
    producer.join();
  }

  @Test
  void aFullQueueDropsEventsWithinEpochsButKeepsEpochEnds() throws InterruptedException {
    ProgressQueue queue = new ProgressQueue(2);
    queue.progressed(progress(1, false));
    queue.progressed(progress(1, false));
    queue.progressed(progress(1, false));
    queue.progressed(progress(1, true));
    queue.fitEnded(summary());
    assertEquals(1, queue.dropped());
    assertFalse(((TrainingProgress) queue.poll(0)).epochEnded());
    assertFalse(((TrainingProgress) queue.poll(0)).epochEnded());
    assertTrue(((TrainingProgress) queue.poll(0)).epochEnded());
    assertTrue(queue.poll(0) instanceof TrainingSummary);
    assertNull(queue.poll(0));
  }

  @Test
  void capacityMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ProgressQueue(0));
    assertEquals("capacity must be at least 1, got 0", e.getMessage());
  }
}
