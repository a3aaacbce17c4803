package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Comparing the weights of two fits: the proof that a disturbed fit lost and repeated nothing. */
final class Weights {
  private Weights() {}

  /** Every value of {@code actual} equals {@code expected}'s to 1e-4. */
  static void assertSame(float[][] expected, float[][] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": params");
    for (int p = 0; p < expected.length; p++) {
      assertEquals(expected[p].length, actual[p].length, what + ": values of param " + p);
      for (int i = 0; i < expected[p].length; i++) {
        assertEquals(expected[p][i], actual[p][i], 1e-4, what + ": param " + p + " value " + i);
      }
    }
  }

  static void assertSame(PSTrainerModel expected, PSTrainerModel actual) {
    assertSame(expected.paramValues(), actual.paramValues(), "weights");
  }
}
