package io.sparkps.server;

import io.sparkps.transport.FloatPayload;

/**
 * Refuses a gradient or delta with a NaN or infinite value before any of it is applied: one
 * such value would spoil the slice for every worker, whatever a client sends.
 */
final class FiniteCheck {
  private FiniteCheck() {}

  /**
   * @param request what carries {@code values}, for the message: UPDATE, SYNC
   * @throws IllegalArgumentException naming the param, slice and first non-finite value
   */
  static void require(String request, int paramId, int sliceId, float[] values) {
    require(request, paramId, sliceId, values, null);
  }

  /**
   * The same for the values of some rows of a slice ({@code rows} in the order of {@code
   * values}, each with {@code values.length / rows.length} floats), which the message names.
   */
  static void require(String request, int paramId, int sliceId, float[] values, int[] rows) {
    require(request, paramId, sliceId, FloatPayload.of(values), rows);
  }

  /**
   * The same for floats read where they lie (in the received frame), without copying them
   * into an array.
   */
  static void require(String request, int paramId, int sliceId, FloatPayload values,
      int[] rows) {
    int i = values.firstNonFinite();
    if (i < 0) {
      return;
    }
    int n = values.length();
    String row = "";
    if (rows != null && rows.length > 0 && n % rows.length == 0) {
      int width = n / rows.length;
      row = " (row " + rows[i / width] + ")";
    }
    throw new IllegalArgumentException(request + " of param " + paramId + " slice "
        + sliceId + " refused: value " + i + row + " of its " + n + " is " + values.get(i)
        + "; nothing of it was applied, as a NaN or infinite value would "
        + "spoil the slice for every worker");
  }
}
