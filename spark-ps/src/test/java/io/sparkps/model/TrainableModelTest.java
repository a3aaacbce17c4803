package io.sparkps.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sparkps.param.ParamSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SPI's default methods, and what every built-in model owes it. */
class TrainableModelTest {

  /** A model that only answers {@link #task()} and {@link #numOutputs()}. */
  private record Declared(TrainableModel.Task task, int numOutputs) implements TrainableModel {
    public List<ParamSpec> params(int numFeatures) {
      throw new UnsupportedOperationException();
    }

    public float[][] initialValues(int numFeatures, Random random) {
      throw new UnsupportedOperationException();
    }

    public double gradient(Batch batch, float[][] params, float[][] gradients) {
      throw new UnsupportedOperationException();
    }

    public float[] predict(Batch batch, float[][] params) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aModelIsABinaryClassifierUnlessItSaysOtherwise() {
    TrainableModel plain = new BinaryLogisticRegression();
    assertEquals(TrainableModel.Task.BINARY_CLASSIFICATION, plain.task());
    TrainableModel minimal =
        new TrainableModel() {
          public List<ParamSpec> params(int numFeatures) {
            return List.of();
          }

          public float[][] initialValues(int numFeatures, Random random) {
            return new float[0][];
          }

          public double gradient(Batch batch, float[][] params, float[][] gradients) {
            return 0;
          }

          public int numOutputs() {
            return 1;
          }

          public float[] predict(Batch batch, float[][] params) {
            return new float[batch.size()];
          }
        };
    assertEquals(TrainableModel.Task.BINARY_CLASSIFICATION, minimal.task());
  }

  @Test
  void defaultCheckLabelFollowsTheTask() {
    TrainableModel binary = new Declared(TrainableModel.Task.BINARY_CLASSIFICATION, 1);
    assertNull(binary.checkLabel(0));
    assertNull(binary.checkLabel(1));
    assertEquals("label 0.5 is not 0 or 1", binary.checkLabel(0.5));
    assertEquals("label -1.0 is not 0 or 1", binary.checkLabel(-1));

    TrainableModel fourClasses = new Declared(TrainableModel.Task.MULTICLASS_CLASSIFICATION, 4);
    assertNull(fourClasses.checkLabel(3));
    assertEquals("label 4.0 is not a class index in [0, 4)", fourClasses.checkLabel(4));

    TrainableModel regression = new Declared(TrainableModel.Task.REGRESSION, 1);
    assertNull(regression.checkLabel(-7.25));
    assertEquals("label Infinity is not finite", regression.checkLabel(Double.POSITIVE_INFINITY));
  }

  @Test
  void binaryLogisticRegressionAcceptsZeroAndOneOnly() {
    TrainableModel lr = new BinaryLogisticRegression();
    assertNull(lr.checkLabel(0));
    assertNull(lr.checkLabel(1));
    for (double label : new double[] {0.7, 2, -1, Double.NaN}) {
      assertEquals("label " + label + " is not 0 or 1", lr.checkLabel(label));
    }
  }

  @Test
  void builtInModelsSurviveJavaSerialization() throws Exception {
    Random random = new Random(51);
    Batch batch =
        TestBatches.withLabels(
            TestBatches.randomSparse(random, 5, 40, 3), TestBatches.randomClasses(random, 5, 2));
    for (TrainableModel model :
        List.of(
            new BinaryLogisticRegression(),
            new LinearRegression(),
            new MultinomialLogisticRegression(4),
            new MlpClassifier(new int[] {5, 3}, 2))) {
      TrainableModel copy = roundTrip(model);
      assertEquals(model.toString(), copy.toString());
      assertEquals(model.task(), copy.task());
      float[][] params = model.initialValues(40, new Random(52));
      assertArrayEquals(model.predict(batch, params), copy.predict(batch, params), model + "");
    }
  }

  private static TrainableModel roundTrip(TrainableModel model)
      throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(model);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (TrainableModel) in.readObject();
    }
  }
}
