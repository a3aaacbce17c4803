package io.sparkps.server;

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
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        String row = "";
        if (rows != null && rows.length > 0 && values.length % rows.length == 0) {
          int width = values.length / rows.length;
          row = " (row " + rows[i / width] + ")";
        }
        throw new IllegalArgumentException(request + " of param " + paramId + " slice "
            + sliceId + " refused: value " + i + row + " of its " + values.length + " is "
            + values[i] + "; nothing of it was applied, as a NaN or infinite value would "
            + "spoil the slice for every worker");
      }
    }
  }
}
