package io.sparkps.param;

import java.io.Serializable;

/**
 * A named tensor of a model: a {@code rows x cols} matrix stored row-major as one flat float
 * array of {@code rows * cols} values. A vector is a matrix with one column.
 *
 * @param name unique within one model, e.g. {@code "weights"}
 * @param rows number of rows, at least 1
 * @param cols number of columns, at least 1
 */
public record ParamSpec(String name, long rows, int cols) implements Serializable {

  public ParamSpec {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("param name must not be empty");
    }
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException(
          "param " + name + " needs rows >= 1 and cols >= 1, got " + rows + " x " + cols);
    }
  }

  public static ParamSpec vector(String name, long length) {
    return new ParamSpec(name, length, 1);
  }

  public static ParamSpec matrix(String name, long rows, int cols) {
    return new ParamSpec(name, rows, cols);
  }

  /** Number of floats the param holds. */
  public long length() {
    return rows * cols;
  }
}
