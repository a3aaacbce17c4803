package io.sparkps.server.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkps.config.OptimizerConfig;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SparseUpdateTest {

  private static final int ROWS = 5;
  private static final int WIDTH = 3;
  private static final int N = ROWS * WIDTH;

  static Stream<OptimizerConfig> configs() {
    return Stream.of(OptimizerConfig.sgd(0.1f), OptimizerConfig.momentum(0.1f, 0.9f),
        OptimizerConfig.adaGrad(0.5f), OptimizerConfig.adam(0.01f),
        OptimizerConfig.adam(0.01f).withL2(0.1f), OptimizerConfig.momentum(0.1f, 0.5f)
            .withL2(0.2f), OptimizerConfig.sgd(0.1f).withL1(0.3f),
        OptimizerConfig.adaGrad(0.5f).withL1(0.2f).withL2(0.1f),
        OptimizerConfig.adam(0.01f).withL1(0.3f), OptimizerConfig.ftrl(0.1f),
        OptimizerConfig.ftrl(0.5f).withL1(0.5f).withL2(0.1f));
  }

  private static float[] random(Random rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextGaussian();
    }
    return a;
  }

  @ParameterizedTest
  @MethodSource("configs")
  void allRowsEqualsDense(OptimizerConfig cfg) {
    Random rnd = new Random(42);
    float[] dense = random(rnd, N);
    float[] sparse = dense.clone();
    Optimizer d = Optimizers.create(cfg, N);
    Optimizer s = Optimizers.create(cfg, N);
    int[] all = {0, 1, 2, 3, 4};
    for (int step = 0; step < 3; step++) {
      float[] g = random(rnd, N);
      d.apply(dense, g);
      s.applySparse(sparse, all, g, WIDTH);
    }
    assertArrayEquals(dense, sparse, 0f);
  }

  @ParameterizedTest
  @MethodSource("configs")
  void untouchedRowsStayUnchanged(OptimizerConfig cfg) {
    Random rnd = new Random(7);
    float[] w = random(rnd, N);
    float[] before = w.clone();
    Optimizer opt = Optimizers.create(cfg, N);
    opt.applySparse(w, new int[] {1, 3}, random(rnd, 2 * WIDTH), WIDTH);
    opt.applySparse(w, new int[] {3}, random(rnd, WIDTH), WIDTH);
    for (int row : new int[] {0, 2, 4}) {
      for (int j = 0; j < WIDTH; j++) {
        assertEquals(before[row * WIDTH + j], w[row * WIDTH + j], 0f, "row " + row);
      }
    }
    for (int j = 0; j < WIDTH; j++) {
      assertNotEqual(before[WIDTH + j], w[WIDTH + j]);
    }
  }

  private static void assertNotEqual(float a, float b) {
    if (a == b) {
      throw new AssertionError("expected a change, still " + a);
    }
  }

  @Test
  void lazyMomentumKeepsOtherRowsVelocity() {
    // Row 0 first updated after row 1 has been: same as a fresh optimizer's first step.
    Optimizer opt = Optimizers.create(OptimizerConfig.momentum(0.1f, 0.9f), 2);
    float[] w = {1f, 1f};
    opt.applySparse(w, new int[] {1}, new float[] {1f}, 1);
    opt.applySparse(w, new int[] {0}, new float[] {2f}, 1);
    assertEquals(1.0 - 0.1 * 2.0, w[0], 1e-6);
    // row 1 did not coast on its velocity
    assertEquals(1.0 - 0.1 * 1.0, w[1], 1e-6);
  }

  @Test
  void lazyAdamUsesTheSliceStepForBiasCorrection() {
    Optimizer opt = Optimizers.create(OptimizerConfig.adam(0.01f), 2);
    float[] w = {0f, 0f};
    opt.applySparse(w, new int[] {1}, new float[] {1f}, 1);
    opt.applySparse(w, new int[] {0}, new float[] {0.5f}, 1);
    double g = 0.5;
    double m = 0.1 * g;
    double v = 0.001 * g * g;
    double expected = -0.01 * (m / (1 - 0.9 * 0.9)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
    assertEquals(expected, w[0], 1e-7);
    assertEquals(2, ((AdamOptimizer) opt).step());
  }

  @Test
  void malformedSparseUpdatesChangeNothing() {
    Optimizer opt = Optimizers.create(OptimizerConfig.adam(0.01f), N);
    float[] w = random(new Random(3), N);
    float[] before = w.clone();
    float[] two = new float[2 * WIDTH];
    assertThrows(IllegalArgumentException.class,
        () -> opt.applySparse(w, new int[] {3, 1}, two, WIDTH), "not increasing");
    assertThrows(IllegalArgumentException.class,
        () -> opt.applySparse(w, new int[] {1, 1}, two, WIDTH), "duplicate");
    assertThrows(IllegalArgumentException.class,
        () -> opt.applySparse(w, new int[] {1, ROWS}, two, WIDTH), "out of slice");
    assertThrows(IllegalArgumentException.class,
        () -> opt.applySparse(w, new int[] {-1, 2}, two, WIDTH), "negative");
    assertThrows(IllegalArgumentException.class,
        () -> opt.applySparse(w, new int[] {1}, two, WIDTH), "rows length");
    assertThrows(IllegalArgumentException.class,
        () -> opt.applySparse(w, new int[] {1}, two, 0), "rowWidth");
    assertThrows(IllegalArgumentException.class,
        () -> opt.applySparse(new float[N + 1], new int[] {1}, new float[WIDTH], WIDTH));
    assertArrayEquals(before, w, 0f);
    assertEquals(0, opt.stateBytes());
  }
}
