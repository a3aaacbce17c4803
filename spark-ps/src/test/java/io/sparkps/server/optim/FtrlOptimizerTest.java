package io.sparkps.server.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparkps.config.OptimizerConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FtrlOptimizerTest {

  private static final double ALPHA = 0.5;
  private static final double BETA = 1.0;
  private static final double L1 = 0.1;
  private static final double L2 = 0.2;

  private static OptimizerConfig config() {
    return OptimizerConfig.ftrl((float) ALPHA).withL1((float) L1).withL2((float) L2);
  }

  @Test
  void twoStepsMatchTheHandComputation() {
    Optimizer opt = Optimizers.create(config(), 2);
    float[] w = new float[2];
    opt.apply(w, new float[] {1f, -0.05f});

    // coordinate 0, step 1: g = 1, n = 0
    double sigma = (Math.sqrt(1.0) - 0.0) / ALPHA;              // 2
    double z0 = 1.0 - sigma * 0.0;                              // 1
    double n0 = 1.0;
    double w0 = -(z0 - L1) / ((BETA + Math.sqrt(n0)) / ALPHA + L2);  // -0.9 / 4.2
    assertEquals(-0.9 / 4.2, w0, 1e-12);
    // coordinate 1, step 1: g = -0.05, |z| = 0.05 <= l1, so w = 0 exactly
    double z1 = -0.05;
    double n1 = 0.05 * 0.05;
    assertEquals(w0, w[0], 1e-6);
    assertEquals(0f, w[1]);

    opt.apply(w, new float[] {0.5f, 0.3f});
    // coordinate 0, step 2: g = 0.5
    double n0b = n0 + 0.25;
    sigma = (Math.sqrt(n0b) - Math.sqrt(n0)) / ALPHA;
    z0 = z0 + 0.5 - sigma * w0;
    w0 = -(z0 - L1) / ((BETA + Math.sqrt(n0b)) / ALPHA + L2);
    // coordinate 1, step 2: g = 0.3, previous w 0
    double n1b = n1 + 0.09;
    z1 = z1 + 0.3 - ((Math.sqrt(n1b) - Math.sqrt(n1)) / ALPHA) * 0.0;  // 0.25 > l1
    double w1 = -(z1 - L1) / ((BETA + Math.sqrt(n1b)) / ALPHA + L2);
    assertEquals(-0.327, w0, 1e-3);
    assertEquals(-0.0534, w1, 1e-4);
    assertEquals(w0, w[0], 1e-6);
    assertEquals(w1, w[1], 1e-6);
    assertEquals(16, opt.stateBytes());
  }

  @Test
  void largeL1KeepsEveryWeightExactlyZero() {
    Optimizer opt = Optimizers.create(OptimizerConfig.ftrl(0.5f).withL1(100f), 8);
    Random rnd = new Random(1);
    float[] w = new float[8];
    for (int step = 0; step < 50; step++) {
      float[] g = new float[8];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) (rnd.nextDouble() * 2 - 1);  // |sum g| <= 50 < l1
      }
      opt.apply(w, g);
      opt.applySparse(w, new int[] {1, 3}, new float[] {g[0], g[1], g[2], g[3]}, 2);
    }
    assertArrayEquals(new float[8], w, 0f);
  }

  @Test
  void sparseWithEveryRowEqualsDense() {
    Random rnd = new Random(5);
    int rows = 4;
    int width = 3;
    float[] dense = new float[rows * width];
    float[] sparse = new float[rows * width];
    Optimizer d = Optimizers.create(config(), dense.length);
    Optimizer s = Optimizers.create(config(), sparse.length);
    for (int step = 0; step < 10; step++) {
      float[] g = new float[dense.length];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) rnd.nextGaussian();
      }
      d.apply(dense, g);
      s.applySparse(sparse, new int[] {0, 1, 2, 3}, g, width);
    }
    assertArrayEquals(dense, sparse, 0f);
    assertNotEquals(0f, dense[0]);
  }

  @Test
  void minimisesAQuadratic() {
    // f(w) = 0.5 * |w - c|^2, gradient w - c; no regularisation, so the minimum is c.
    double[] c = {1.0, -2.0, 0.5, 0.0};
    Optimizer opt = Optimizers.create(OptimizerConfig.ftrl(1f), c.length);
    float[] w = new float[c.length];
    for (int step = 0; step < 2000; step++) {
      float[] g = new float[c.length];
      for (int i = 0; i < c.length; i++) {
        g[i] = (float) (w[i] - c[i]);
      }
      opt.apply(w, g);
    }
    for (int i = 0; i < c.length; i++) {
      assertEquals(c[i], w[i], 1e-3, "coordinate " + i);
    }
  }

  @Test
  void minimisesALogisticLoss() {
    // One feature plus a bias, labels from a known separating rule with noise-free margins.
    Random rnd = new Random(11);
    Optimizer opt = Optimizers.create(OptimizerConfig.ftrl(0.5f).withL2(0.01f), 2);
    float[] w = new float[2];
    double lossFirst = 0;
    double lossLast = 0;
    for (int epoch = 0; epoch < 200; epoch++) {
      float[] g = new float[2];
      double loss = 0;
      for (int i = 0; i < 64; i++) {
        double x = rnd.nextGaussian();
        double y = x + 0.3 > 0 ? 1 : 0;
        double p = 1 / (1 + Math.exp(-(w[0] * x + w[1])));
        loss -= y == 1 ? Math.log(p) : Math.log(1 - p);
        g[0] += (float) ((p - y) * x / 64);
        g[1] += (float) ((p - y) / 64);
      }
      if (epoch == 0) {
        lossFirst = loss / 64;
      }
      lossLast = loss / 64;
      opt.apply(w, g);
    }
    assertEquals(Math.log(2), lossFirst, 1e-9);
    assertEquals(true, lossLast < 0.25, "final loss " + lossLast);
    assertEquals(true, w[0] > 1 && w[1] > 0, w[0] + ", " + w[1]);
  }

  @Test
  void startsFromTheCurrentValues() {
    Optimizer opt = Optimizers.create(config(), 3);
    float[] w = {0.7f, -0.3f, 0f};
    opt.apply(w, new float[3]);
    assertArrayEquals(new float[] {0.7f, -0.3f, 0f}, w, 0f);  // no gradient: untouched

    opt.apply(w, new float[] {0.4f, 0f, 0f});
    double w0 = 0.7f;
    double z = -(w0 * (BETA / ALPHA + L2) + L1);  // w(z, 0) == w0
    assertEquals(w0, -(z + L1) / (BETA / ALPHA + L2), 1e-12);
    double n = 0.4f * 0.4f;
    z += 0.4f - (Math.sqrt(n) / ALPHA) * w0;
    double expected = -(z + L1) / ((BETA + Math.sqrt(n)) / ALPHA + L2);
    assertEquals(expected, w[0], 1e-6);
    assertEquals(-0.3f, w[1]);
    assertEquals(0f, w[2]);
  }
}
