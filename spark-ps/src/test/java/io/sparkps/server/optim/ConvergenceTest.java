package io.sparkps.server.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.OptimizerConfig;
import org.junit.jupiter.api.Test;

/** Each optimizer minimises f(w) = ||w - c||^2 (gradient 2(w - c)) from w = 0. */
class ConvergenceTest {

  private static final float[] C = {1f, -2f, 3f, 0.5f};

  /** Steps until ||w - c|| < tol; fails if that takes more than maxSteps. */
  private static void converges(OptimizerConfig cfg, int maxSteps, double tol) {
    Optimizer opt = Optimizers.create(cfg, C.length);
    float[] w = new float[C.length];
    float[] g = new float[C.length];
    for (int step = 1; step <= maxSteps; step++) {
      for (int i = 0; i < w.length; i++) {
        g[i] = 2 * (w[i] - C[i]);
      }
      opt.apply(w, g);
      if (distance(w) < tol) {
        return;
      }
    }
    throw new AssertionError(cfg + " still " + distance(w) + " from the minimum after "
        + maxSteps + " steps");
  }

  private static double distance(float[] w) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      s += (w[i] - C[i]) * (double) (w[i] - C[i]);
    }
    return Math.sqrt(s);
  }

  @Test
  void sgd() {
    converges(OptimizerConfig.sgd(0.1f), 100, 1e-4);
  }

  @Test
  void momentum() {
    converges(OptimizerConfig.momentum(0.05f, 0.9f), 500, 1e-4);
  }

  @Test
  void adaGrad() {
    converges(OptimizerConfig.adaGrad(1f), 1000, 1e-3);
  }

  @Test
  void adam() {
    converges(OptimizerConfig.adam(0.05f), 2000, 1e-3);
  }

  @Test
  void l2PullsTheMinimumTowardsZero() {
    // minimum of ||w - c||^2 + (l2 / 2) ||w||^2 is c * 2 / (2 + l2)
    Optimizer opt = Optimizers.create(OptimizerConfig.sgd(0.1f).withL2(1f), C.length);
    float[] w = new float[C.length];
    float[] g = new float[C.length];
    for (int step = 0; step < 200; step++) {
      for (int i = 0; i < w.length; i++) {
        g[i] = 2 * (w[i] - C[i]);
      }
      opt.apply(w, g);
    }
    for (int i = 0; i < w.length; i++) {
      double expected = C[i] * 2.0 / 3.0;
      assertTrue(Math.abs(w[i] - expected) < 1e-4, "w[" + i + "]=" + w[i] + " not " + expected);
    }
  }
}
