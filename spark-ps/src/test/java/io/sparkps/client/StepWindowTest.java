package io.sparkps.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Answers of steps in flight are taken per slice in the order the steps were pushed. */
class StepWindowTest {
  private final List<String> taken = new ArrayList<>();
  private final StepWindow window = new StepWindow(2, (slice, v) ->
      taken.add("slice " + slice + " v" + v.version()));

  private static Values values(long version) {
    return new Values(1, 0, 0, version, new float[0]);
  }

  @Test
  void aNewerAnswerWaitsForTheOlderOneOfItsSlice() {
    CompletableFuture<Values> a0 = new CompletableFuture<>();
    CompletableFuture<Values> b0 = new CompletableFuture<>();
    CompletableFuture<Values> a1 = new CompletableFuture<>();
    CompletableFuture<Values> b1 = new CompletableFuture<>();
    window.add(new int[] {0, 1}, List.of(a0, b0));
    window.add(new int[] {0, 1}, List.of(a1, b1));

    a1.complete(values(2));
    b0.complete(values(1));
    window.takeArrived(1000);
    assertEquals(List.of("slice 1 v1"), taken, "slice 0's step-1 answer waits for step 0's");
    assertEquals(2, window.size());

    a0.complete(values(1));
    window.takeArrived(1000);
    assertEquals(List.of("slice 1 v1", "slice 0 v1", "slice 0 v2"), taken);
    assertEquals(1, window.size());

    b1.complete(values(2));
    window.awaitAll(1000);
    assertEquals(0, window.size());
    assertEquals("slice 1 v2", taken.get(3));
  }

  @Test
  void aFullWindowWaitsForItsOldestStepOnly() {
    CompletableFuture<Values> a0 = CompletableFuture.completedFuture(values(1));
    CompletableFuture<Values> a1 = new CompletableFuture<>();
    window.add(new int[] {0}, List.of(a0));
    window.add(new int[] {0}, List.of(a1));
    window.awaitOldest(1000);
    assertEquals(List.of("slice 0 v1"), taken);
    assertEquals(1, window.size());
  }

  @Test
  void aFailedAnswerIsThrownToTheWorker() {
    CompletableFuture<Values> a0 = new CompletableFuture<>();
    window.add(new int[] {0}, List.of(a0));
    a0.completeExceptionally(new IllegalStateException("server gone"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> window.takeArrived(1000));
    assertEquals("server gone", e.getMessage());
  }

  @Test
  void theShortestRecentRoundTripIsKeptFromPushToLastAnswer() throws InterruptedException {
    assertEquals(0, window.minRoundTripNanos(), "no step answered yet");
    CompletableFuture<Values> a0 = new CompletableFuture<>();
    CompletableFuture<Values> b0 = new CompletableFuture<>();
    long before = System.nanoTime();
    window.add(new int[] {0, 1}, List.of(a0, b0));
    a0.complete(values(1));
    Thread.sleep(20);
    b0.complete(values(1));
    long after = System.nanoTime();
    window.awaitAll(1000);
    long first = window.minRoundTripNanos();
    assertTrue(first >= 20_000_000L && first <= after - before,
        "from the push to its last answer: " + first);

    CompletableFuture<Values> a1 = new CompletableFuture<>();
    window.add(new int[] {0}, List.of(a1));
    a1.complete(values(2));
    window.takeArrived(1000);
    assertTrue(window.minRoundTripNanos() < first, "a quicker step lowers the minimum");
  }
}
