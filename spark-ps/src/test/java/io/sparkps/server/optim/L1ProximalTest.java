package io.sparkps.server.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.OptimizerConfig;
import org.junit.jupiter.api.Test;

/** L1 as a proximal step after SGD, momentum, AdaGrad and Adam updates. */
class L1ProximalTest {

  /**
   * Minimises 0.5 * |w - c|^2 from w = (1, 1): coordinate 0 has a strong pull (c = 2),
   * coordinate 1 a tiny one (c = 0.01) that L1 must overcome.
   */
  private static float[] run(OptimizerConfig cfg, int steps) {
    double[] c = {2.0, 0.01};
    Optimizer opt = Optimizers.create(cfg, 2);
    float[] w = {1f, 1f};
    for (int step = 0; step < steps; step++) {
      opt.apply(w, new float[] {(float) (w[0] - c[0]), (float) (w[1] - c[1])});
    }
    return w;
  }

  @Test
  void sgdDrivesTheWeakCoordinateToExactlyZero() {
    float[] w = run(OptimizerConfig.sgd(0.1f).withL1(0.5f), 300);
    assertEquals(0f, w[1]);
    // proximal gradient converges to soft-threshold(c, l1) = 2 - 0.5
    assertEquals(1.5, w[0], 1e-4);
    float[] plain = run(OptimizerConfig.sgd(0.1f), 300);
    assertTrue(plain[1] != 0f, "without l1 the weak coordinate stays at " + plain[1]);
  }

  @Test
  void adaGradDrivesTheWeakCoordinateToExactlyZero() {
    float[] w = run(OptimizerConfig.adaGrad(0.5f).withL1(0.2f), 300);
    assertEquals(0f, w[1]);
    // shrink and step share AdaGrad's rate, so the fixed point is soft-threshold(c, l1)
    assertEquals(1.8, w[0], 1e-2);
  }

  @Test
  void momentumAndAdamProduceExactZerosToo() {
    float[] m = run(OptimizerConfig.momentum(0.05f, 0.5f).withL1(1f), 400);
    assertEquals(0f, m[1]);
    assertTrue(m[0] > 0.5f, "strong coordinate " + m[0]);
    float[] a = run(OptimizerConfig.adam(0.05f).withL1(0.5f), 400);
    assertEquals(0f, a[1]);
    assertTrue(a[0] > 0.5f, "strong coordinate " + a[0]);
  }

  @Test
  void oneStepIsTheSoftThreshold() {
    Optimizer opt = Optimizers.create(OptimizerConfig.sgd(0.5f).withL1(0.2f), 4);
    float[] w = {1f, -1f, 0.05f, -0.02f};
    opt.apply(w, new float[4]);  // zero gradient: only the shrink by lr * l1 = 0.1
    assertArrayEquals(new float[] {0.9f, -0.9f, 0f, 0f}, w, 1e-7f);
  }

  @Test
  void sparseShrinksOnlyTheRowsSent() {
    Optimizer opt = Optimizers.create(OptimizerConfig.sgd(0.5f).withL1(0.2f), 4);
    float[] w = {1f, 1f, 0.05f, 0.05f};
    opt.applySparse(w, new int[] {1}, new float[2], 2);
    assertArrayEquals(new float[] {1f, 1f, 0f, 0f}, w, 0f);
  }
}
