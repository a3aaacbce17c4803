package io.sparkps.server.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkps.config.OptimizerConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Applying a gradient sum with a scale, as a server does with the sum of a step, is the same to
 * the bit as applying the mean built first, for every optimizer and over several steps.
 */
class ScaledApplyTest {
  private static final int N = 257;

  @Test
  void scaledSumEqualsMeanForEveryOptimizer() {
    for (OptimizerConfig cfg : new OptimizerConfig[] {
        OptimizerConfig.sgd(0.1f).withL2(0.01f), OptimizerConfig.momentum(0.1f, 0.9f),
        OptimizerConfig.adaGrad(0.1f), OptimizerConfig.adam(0.1f), OptimizerConfig.ftrl(0.1f)}) {
      Random random = new Random(11);
      float[] viaMean = new float[N];
      float[] viaScale = new float[N];
      for (int i = 0; i < N; i++) {
        viaMean[i] = viaScale[i] = random.nextFloat() - 0.5f;
      }
      Optimizer a = Optimizers.create(cfg, N);
      Optimizer b = Optimizers.create(cfg, N);
      for (int step = 0; step < 3; step++) {
        float[] sum = new float[N];
        for (int i = 0; i < N; i++) {
          sum[i] = 7 * (random.nextFloat() - 0.5f);
        }
        float scale = 1f / 7;
        float[] mean = new float[N];
        for (int i = 0; i < N; i++) {
          mean[i] = sum[i] * scale;
        }
        float[] untouched = sum.clone();
        a.apply(viaMean, mean);
        b.apply(viaScale, sum, scale);
        assertArrayEquals(viaMean, viaScale, 0f, cfg.type() + " at step " + step);
        assertArrayEquals(untouched, sum, 0f, "the gradient sum is not modified");
      }
    }
  }

  @Test
  void scaledApplyChecksLengths() {
    Optimizer sgd = Optimizers.create(OptimizerConfig.sgd(0.1f), 4);
    assertThrows(IllegalArgumentException.class,
        () -> sgd.apply(new float[4], new float[3], 0.5f));
  }
}
