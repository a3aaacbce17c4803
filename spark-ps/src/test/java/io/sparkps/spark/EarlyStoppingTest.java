package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  @Test
  void stopsAfterRoundsEpochsWithoutImprovementAndKeepsTheBest() {
    EarlyStopping s = new EarlyStopping(2, 0.0, 10);
    assertEquals(new EpochDecision(true, true), s.record(0, 0.50));
    assertEquals(new EpochDecision(true, true), s.record(1, 0.40));
    assertEquals(new EpochDecision(true, false), s.record(2, 0.45));
    assertEquals(new EpochDecision(false, false), s.record(3, 0.41));
    assertEquals(1, s.bestEpoch());
    assertTrue(s.stoppedEarly());
    assertArrayEquals(new double[] {0.50, 0.40, 0.45, 0.41}, s.losses());
  }

  @Test
  void anImprovementMustBeatTheBestByMoreThanTol() {
    EarlyStopping s = new EarlyStopping(2, 0.01, 10);
    s.record(0, 0.50);
    // 0.495 is lower, but not by more than 0.01: no improvement, and the best stays epoch 0.
    assertEquals(new EpochDecision(true, false), s.record(1, 0.495));
    assertEquals(new EpochDecision(false, false), s.record(2, 0.492));
    assertEquals(0, s.bestEpoch());
  }

  @Test
  void zeroRoundsNeverStopsButStillFindsTheBest() {
    EarlyStopping s = new EarlyStopping(0, 0.0, 4);
    for (int e = 0; e < 4; e++) {
      assertTrue(s.record(e, 1.0 + e).goOn());
    }
    assertEquals(0, s.bestEpoch());
    assertFalse(s.stoppedEarly());
  }

  @Test
  void stoppingAtTheLastEpochIsNotEarly() {
    EarlyStopping s = new EarlyStopping(1, 0.0, 2);
    s.record(0, 1.0);
    assertFalse(s.record(1, 2.0).goOn());
    assertFalse(s.stoppedEarly());
  }

  @Test
  void aNanLossNeverImproves() {
    EarlyStopping s = new EarlyStopping(2, 0.0, 10);
    assertEquals(new EpochDecision(true, false), s.record(0, Double.NaN));
    assertEquals(-1, s.bestEpoch());
    assertEquals(new EpochDecision(true, true), s.record(1, 3.0));
    assertEquals(1, s.bestEpoch());
  }

  @Test
  void anEpochRecordedAgainDropsTheEpochsAfterIt() {
    EarlyStopping s = new EarlyStopping(2, 0.0, 10);
    s.record(0, 0.5);
    s.record(1, 0.6);
    s.record(2, 0.7);
    // The stage started over: epoch 1 again, now better.
    assertEquals(new EpochDecision(true, true), s.record(1, 0.3));
    assertEquals(2, s.epochs());
    assertEquals(1, s.bestEpoch());
  }
}
