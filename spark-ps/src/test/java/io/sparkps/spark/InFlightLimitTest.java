package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A worker keeps as few steps in flight as hide a round trip, within the maximum. */
class InFlightLimitTest {

  private static InFlightLimit after(int max, long computeNanos) {
    InFlightLimit limit = new InFlightLimit(max);
    limit.computed(computeNanos);
    return limit;
  }

  @Test
  void aStepThatComputesAsLongAsItsRoundTripKeepsTwo() {
    InFlightLimit limit = after(8, 4_000_000);
    assertEquals(2, limit.size(3_000_000));
    assertEquals(2, limit.size(4_000_000));
    assertEquals(3, limit.size(4_000_001));
  }

  @Test
  void aStepOfMicrosecondsAgainstALongRoundTripKeepsTheMost() {
    assertEquals(8, after(8, 8_000).size(270_000));
    assertEquals(5, after(5, 8_000).size(270_000));
  }

  @Test
  void oneUntilBothTimesAreKnownAndAlwaysOneWithAMaximumOfOne() {
    assertEquals(1, new InFlightLimit(8).size(1_000_000), "no compute time yet");
    assertEquals(1, after(8, 1_000).size(0), "no round trip yet");
    assertEquals(1, after(1, 1_000).size(1_000_000));
    assertThrows(IllegalArgumentException.class, () -> new InFlightLimit(0));
  }

  @Test
  void theComputeTimeIsAMovingMeanNotTheLastStep() {
    InFlightLimit limit = after(64, 1_000_000);
    for (int i = 0; i < 100; i++) {
      limit.computed(1_000_000);
    }
    // One slow step (a GC pause) moves the mean to about 7.2 ms: with the last step alone the
    // window would be 2, with the mean of all steps 7.
    limit.computed(100_000_000);
    assertEquals(3, limit.size(10_000_000));
  }
}
