package io.sparkps.model;

import io.sparkps.param.ParamSpec;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves between the SPI's flat row-major float arrays and ND4J matrices, and checks that the
 * arrays a caller hands in match the model's declared params.
 */
final class ParamArrays {

  /** Largest float[] the JVM reliably allocates. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private ParamArrays() {}

  /**
   * Checks that {@code arrays} holds one array per spec, each of the spec's length.
   *
   * @param kind "param" or "gradient", to say which argument is wrong
   * @throws IllegalArgumentException naming the param and both lengths
   */
  static void check(String kind, float[][] arrays, List<ParamSpec> specs) {
    if (arrays == null || arrays.length != specs.size()) {
      throw new IllegalArgumentException(
          kind + "s must hold " + specs.size() + " arrays (" + names(specs) + "), got "
              + (arrays == null ? "null" : arrays.length));
    }
    for (int i = 0; i < arrays.length; i++) {
      ParamSpec spec = specs.get(i);
      if (arrays[i] == null || arrays[i].length != spec.length()) {
        throw new IllegalArgumentException(
            kind + " " + spec.name() + " has length "
                + (arrays[i] == null ? "null" : arrays[i].length) + ", expected " + spec.length()
                + " (" + spec.rows() + " x " + spec.cols() + ")");
      }
    }
  }

  /**
   * Checks that a {@code rows x cols} param fits in one float array.
   *
   * @throws IllegalArgumentException naming the param, its shape and the limit
   */
  static void checkFits(String name, long rows, int cols) {
    if (rows * cols > MAX_ARRAY) {
      throw new IllegalArgumentException(
          "param " + name + " of " + rows + " x " + cols + " = " + rows * cols
              + " floats is more than one array holds (" + MAX_ARRAY + ")");
    }
  }

  /** A {@code rows x cols} ND4J matrix holding a copy of the row-major {@code values}. */
  static INDArray matrix(float[] values, int rows, int cols) {
    return Nd4j.create(values, new long[] {rows, cols}, 'c');
  }

  /** The entries of {@code array} as a new flat row-major float array. */
  static float[] flat(INDArray array) {
    // dup('c') gives a fresh buffer of exactly the array's length, whatever view it was.
    return array.dup('c').data().asFloat();
  }

  /** Copies the entries of {@code array} row-major into {@code target}, which has its length. */
  static void copyTo(INDArray array, float[] target) {
    System.arraycopy(flat(array), 0, target, 0, target.length);
  }

  private static String names(List<ParamSpec> specs) {
    StringBuilder out = new StringBuilder();
    for (ParamSpec spec : specs) {
      out.append(out.length() == 0 ? "" : ", ").append(spec.name());
    }
    return out.toString();
  }
}
