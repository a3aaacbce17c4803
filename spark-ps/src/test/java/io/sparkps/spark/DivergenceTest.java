package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.client.ParamValues;
import io.sparkps.config.InvalidConfigException;
import org.junit.jupiter.api.Test;

/** What counts as a diverged training, and that the error names stepSize. */
class DivergenceTest {
  private static final float STEP_SIZE = 1e6f;

  private static void assertNamesStepSize(InvalidConfigException e, String what) {
    assertEquals("stepSize", e.setting());
    assertTrue(e.getMessage().startsWith("the training diverged" + what), e.getMessage());
    assertTrue(e.getMessage().contains("stepSize=1000000.0 is too large for this data and "
        + "model: set a smaller stepSize (e.g. 100000.0)"), e.getMessage());
  }

  @Test
  void aFiniteStepPassesANonFiniteLossOrGradientDoesNot() {
    float[][] finite = {{1f, -2f}, {3f}};
    Divergence.check(0.5, finite, 3, 1, STEP_SIZE);
    assertNamesStepSize(assertThrows(InvalidConfigException.class,
        () -> Divergence.check(Double.NaN, finite, 3, 1, STEP_SIZE)),
        " at step 3 of worker 1: the loss is NaN although the training data is finite");
    assertNamesStepSize(assertThrows(InvalidConfigException.class,
        () -> Divergence.check(0.5, new float[][] {{1f}, {2f, Float.NEGATIVE_INFINITY}}, 7, 0,
            STEP_SIZE)),
        " at step 7 of worker 0: the gradient of param 1 is -Infinity at index 1");
  }

  @Test
  void trainedParamsMustBeFinite() {
    ParamValues ok = new ParamValues(new long[] {2, 1}, new int[] {1, 1},
        new float[][] {{1f, 2f}, {0f}}, new int[2][], new float[2][]);
    Divergence.checkParams(ok, STEP_SIZE);
    ParamValues bad = new ParamValues(new long[] {2, 1}, new int[] {1, 1},
        new float[][] {{1f, 2f}, {Float.POSITIVE_INFINITY}}, new int[2][], new float[2][]);
    assertNamesStepSize(assertThrows(InvalidConfigException.class,
        () -> Divergence.checkParams(bad, STEP_SIZE)),
        ": the trained param 1 holds Infinity at stored value 0");
  }

  private static TrainingSummary summary(double firstStepLoss, double lastEpochLoss) {
    return new TrainingSummary("sandblaster", 1, 1, new double[] {lastEpochLoss},
        new double[] {firstStepLoss, lastEpochLoss}, new double[] {0.1, 0.2}, 2, 2, 0.2,
        java.util.List.of(), 0, 0, 0, 0, 0, 0, Double.NaN, 1, 0, null,
        java.util.List.of());
  }

  @Test
  void aLossGrownAThousandfoldIsDivergence() {
    Divergence.checkGrowth(summary(0.69, 690), STEP_SIZE);
    Divergence.checkGrowth(summary(0, 5), STEP_SIZE);  // no scale to compare with
    assertNamesStepSize(assertThrows(InvalidConfigException.class,
        () -> Divergence.checkGrowth(summary(0.5, 501), STEP_SIZE)),
        ": the mean loss grew from 0.5 at the first step to 501.0 in the last epoch");
  }
}
