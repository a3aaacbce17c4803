package io.sparkps.server.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkps.config.OptimizerConfig;
import org.junit.jupiter.api.Test;

/**
 * Each rule against two steps computed here in doubles, straight from the textbook formulas,
 * independently of the implementation.
 */
class OptimizerRulesTest {

  private static final double[] W0 = {0.5, -1.0, 2.0};
  private static final double[] G1 = {0.1, -0.2, 0.3};
  private static final double[] G2 = {-0.4, 0.05, 0.3};
  private static final double TOL = 1e-6;

  /** Runs two dense steps with G1 then G2 from W0. */
  private static float[] twoSteps(OptimizerConfig cfg) {
    Optimizer opt = Optimizers.create(cfg, W0.length);
    float[] w = toFloats(W0);
    opt.apply(w, toFloats(G1));
    opt.apply(w, toFloats(G2));
    return w;
  }

  @Test
  void sgd() {
    double lr = 0.1;
    double[] w = W0.clone();
    for (double[] g : new double[][] {G1, G2}) {
      for (int i = 0; i < w.length; i++) {
        w[i] -= lr * g[i];
      }
    }
    assertClose(w, twoSteps(OptimizerConfig.sgd(0.1f)));
  }

  @Test
  void momentum() {
    double lr = 0.1;
    double m = 0.9;
    double[] w = W0.clone();
    double[] v = new double[w.length];
    for (double[] g : new double[][] {G1, G2}) {
      for (int i = 0; i < w.length; i++) {
        v[i] = m * v[i] + g[i];
        w[i] -= lr * v[i];
      }
    }
    // by hand for coordinate 0: v1 = 0.1, w1 = 0.49; v2 = 0.09 - 0.4 = -0.31, w2 = 0.521
    assertEquals(0.521, w[0], 1e-12);
    assertClose(w, twoSteps(OptimizerConfig.momentum(0.1f, 0.9f)));
  }

  @Test
  void adaGrad() {
    double lr = 0.5;
    double eps = 1e-6;
    double[] w = W0.clone();
    double[] h = new double[w.length];
    for (double[] g : new double[][] {G1, G2}) {
      for (int i = 0; i < w.length; i++) {
        h[i] += g[i] * g[i];
        w[i] -= lr * g[i] / (Math.sqrt(h[i]) + eps);
      }
    }
    assertClose(w, twoSteps(OptimizerConfig.adaGrad(0.5f)));
  }

  @Test
  void adam() {
    double lr = 0.01;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double[] w = W0.clone();
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    int t = 0;
    for (double[] g : new double[][] {G1, G2}) {
      t++;
      for (int i = 0; i < w.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double vHat = v[i] / (1 - Math.pow(b2, t));
        w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
      }
    }
    // the first Adam step moves every coordinate by lr against the sign of its gradient
    assertClose(new double[] {0.49, -0.99, 1.99}, oneStep(OptimizerConfig.adam(0.01f)));
    assertClose(w, twoSteps(OptimizerConfig.adam(0.01f)));
  }

  private static float[] oneStep(OptimizerConfig cfg) {
    Optimizer opt = Optimizers.create(cfg, W0.length);
    float[] w = toFloats(W0);
    opt.apply(w, toFloats(G1));
    return w;
  }

  @Test
  void l2ShrinksWeightsUnderZeroGradient() {
    float[] w = {1f, -2f};
    Optimizers.create(OptimizerConfig.sgd(0.1f).withL2(0.5f), 2).apply(w, new float[2]);
    // w -= lr * l2 * w  ->  w * (1 - 0.05)
    assertClose(new double[] {0.95, -1.9}, w);
  }

  @Test
  void l2IsAddedToTheGradientBeforeEveryRule() {
    float l2 = 0.3f;
    for (OptimizerConfig cfg : new OptimizerConfig[] {OptimizerConfig.sgd(0.1f),
        OptimizerConfig.momentum(0.1f, 0.9f), OptimizerConfig.adaGrad(0.5f),
        OptimizerConfig.adam(0.01f)}) {
      Optimizer withL2 = Optimizers.create(cfg.withL2(l2), W0.length);
      Optimizer manual = Optimizers.create(cfg, W0.length);
      float[] a = toFloats(W0);
      float[] b = toFloats(W0);
      for (double[] g : new double[][] {G1, G2}) {
        withL2.apply(a, toFloats(g));
        float[] gPlusL2 = new float[b.length];
        for (int i = 0; i < b.length; i++) {
          gPlusL2[i] = (float) g[i] + l2 * b[i];
        }
        manual.apply(b, gPlusL2);
      }
      assertArrayEquals(b, a, 1e-6f, cfg.type().toString());
    }
  }

  static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  static void assertClose(double[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOL, "coordinate " + i);
    }
  }
}
