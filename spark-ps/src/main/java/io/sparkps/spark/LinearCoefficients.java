package io.sparkps.spark;

import io.sparkps.client.ParamValues;
import io.sparkps.model.BinaryLogisticRegression;
import io.sparkps.model.LinearRegression;
import io.sparkps.model.MultinomialLogisticRegression;
import io.sparkps.model.TrainableModel;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SparseMatrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/**
 * The trained values of a built-in linear model as MLlib's linear models show them. Param 0 of
 * these models is the weights ({@code numFeatures x 1}, or {@code numFeatures x K} row-major
 * for the multinomial model) and param 1 the bias; a weights param kept row-sparse gives a
 * sparse vector or matrix, never a dense copy of millions of zeros.
 */
final class LinearCoefficients {
  private final TrainableModel model;
  private final ParamValues values;
  private final int numFeatures;

  LinearCoefficients(TrainableModel model, ParamValues values, int numFeatures) {
    this.model = model;
    this.values = values;
    this.numFeatures = numFeatures;
  }

  /**
   * The weights of a binary logistic or a linear regression model.
   *
   * @throws UnsupportedOperationException for a multinomial model (use the matrix) or a model
   *     that is not linear, naming it
   */
  Vector coefficients() {
    if (model instanceof MultinomialLogisticRegression) {
      throw new UnsupportedOperationException("coefficients: a multinomial model (modelType="
          + "multinomial) has a matrix of coefficients, one row per class; use "
          + "coefficientMatrix and interceptVector");
    }
    requireLinear("coefficients", false);
    if (values.isRowSparse(0)) {
      return Vectors.sparse(numFeatures, values.rows(0), doubles(values.values(0)));
    }
    return Vectors.dense(doubles(values.values(0)));
  }

  double intercept() {
    if (model instanceof MultinomialLogisticRegression) {
      throw new UnsupportedOperationException("intercept: a multinomial model (modelType="
          + "multinomial) has one intercept per class; use interceptVector");
    }
    requireLinear("intercept", false);
    return values.values(1)[0];
  }

  /**
   * The weights as a {@code numClasses x numFeatures} matrix: one row per class for the
   * multinomial model, one row for the binary logistic model (as MLlib's
   * LogisticRegressionModel).
   */
  Matrix coefficientMatrix() {
    requireLinear("coefficientMatrix", true);
    int k = values.cols(0);
    double[] v = doubles(values.values(0));
    if (!values.isRowSparse(0)) {
      // numFeatures x K row-major is K x numFeatures column-major: one column per feature.
      return new DenseMatrix(k, numFeatures, v);
    }
    int[] rows = values.rows(0);
    int[] colPtrs = new int[numFeatures + 1];
    int[] rowIndices = new int[rows.length * k];
    int next = 0;
    for (int f = 0; f < numFeatures; f++) {
      colPtrs[f] = next * k;
      if (next < rows.length && rows[next] == f) {
        for (int c = 0; c < k; c++) {
          rowIndices[next * k + c] = c;
        }
        next++;
      }
    }
    colPtrs[numFeatures] = next * k;
    return new SparseMatrix(k, numFeatures, colPtrs, rowIndices, v);
  }

  Vector interceptVector() {
    requireLinear("interceptVector", true);
    return Vectors.dense(doubles(values.values(1)));
  }

  private void requireLinear(String what, boolean classifierOnly) {
    boolean ok = model instanceof BinaryLogisticRegression
        || model instanceof MultinomialLogisticRegression
        || (!classifierOnly && model instanceof LinearRegression);
    if (!ok) {
      throw new UnsupportedOperationException(what + " is defined for "
          + (classifierOnly ? "logistic and multinomial" : "logistic, multinomial and linear")
          + " models; this model is a " + model.getClass().getSimpleName()
          + (model instanceof io.sparkps.model.MlpClassifier
              ? " (modelType=mlp), whose weights are its layers' matrices: see paramValues()"
              : ": see paramValues() for its trained values"));
    }
  }

  private static double[] doubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
