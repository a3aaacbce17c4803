package io.sparkps.server.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.OptimizerType;
import org.junit.jupiter.api.Test;

class OptimizersTest {

  @Test
  void createsTheRuleOfEachType() {
    assertInstanceOf(SgdOptimizer.class, Optimizers.create(OptimizerConfig.sgd(0.1f), 4));
    assertInstanceOf(MomentumOptimizer.class,
        Optimizers.create(OptimizerConfig.momentum(0.1f, 0.9f), 4));
    assertInstanceOf(AdaGradOptimizer.class,
        Optimizers.create(OptimizerConfig.adaGrad(0.1f), 4));
    assertInstanceOf(AdamOptimizer.class, Optimizers.create(OptimizerConfig.adam(0.1f), 4));
    assertInstanceOf(FtrlOptimizer.class, Optimizers.create(OptimizerConfig.ftrl(0.1f), 4));
    assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create(OptimizerConfig.sgd(0.1f), 0));
  }

  @Test
  void stateIsAllocatedLazilyAndAccounted() {
    int n = 10;
    for (OptimizerConfig cfg : new OptimizerConfig[] {OptimizerConfig.sgd(0.1f),
        OptimizerConfig.momentum(0.1f, 0.9f), OptimizerConfig.adaGrad(0.1f),
        OptimizerConfig.adam(0.1f), OptimizerConfig.ftrl(0.1f)}) {
      Optimizer opt = Optimizers.create(cfg, n);
      assertEquals(0, opt.stateBytes(), cfg.type().toString());
      opt.apply(new float[n], new float[n]);
      assertEquals(Optimizers.stateBytes(cfg.type(), n), opt.stateBytes(), cfg.type().toString());
    }
    assertEquals(0, Optimizers.stateBytes(OptimizerType.SGD, n));
    assertEquals(40, Optimizers.stateBytes(OptimizerType.MOMENTUM, n));
    assertEquals(88, Optimizers.stateBytes(OptimizerType.ADAM, n));
    assertEquals(80, Optimizers.stateBytes(OptimizerType.FTRL, n));
  }

  @Test
  void denseLengthMismatchNamesBothNumbers() {
    Optimizer opt = Optimizers.create(OptimizerConfig.sgd(0.1f), 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> opt.apply(new float[4], new float[5]));
    assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
  }

  @Test
  void sparseIsRefusedByDefault() {
    Optimizer denseOnly = new Optimizer() {
      @Override
      public void apply(float[] params, float[] meanGradient) {
      }

      @Override
      public long stateBytes() {
        return 0;
      }

      @Override
      public byte[] saveState() {
        return new byte[0];
      }

      @Override
      public void loadState(byte[] state) {
      }
    };
    assertThrows(UnsupportedOperationException.class,
        () -> denseOnly.applySparse(new float[2], new int[] {0}, new float[1], 1));
  }
}
