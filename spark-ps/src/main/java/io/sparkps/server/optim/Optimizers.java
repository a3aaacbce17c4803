package io.sparkps.server.optim;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.OptimizerType;

/** Creates the {@link Optimizer} of a slice from its {@link OptimizerConfig}. */
public final class Optimizers {

  private Optimizers() {
  }

  /**
   * A new optimizer, with fresh state, for one slice of {@code sliceLength} floats.
   *
   * @throws IllegalArgumentException if sliceLength < 1
   */
  public static Optimizer create(OptimizerConfig cfg, int sliceLength) {
    if (sliceLength < 1) {
      throw new IllegalArgumentException("sliceLength=" + sliceLength + ": must be >= 1");
    }
    float lr = cfg.learningRate();
    float l2 = cfg.l2();
    float l1 = cfg.l1();
    switch (cfg.type()) {
      case SGD:
        return new SgdOptimizer(sliceLength, lr, l2, l1);
      case MOMENTUM:
        return new MomentumOptimizer(sliceLength, lr, l2, l1, cfg.momentum());
      case ADAGRAD:
        return new AdaGradOptimizer(sliceLength, lr, l2, l1, cfg.epsilon());
      case ADAM:
        return new AdamOptimizer(sliceLength, lr, l2, l1, cfg.beta1(), cfg.beta2(),
            cfg.epsilon());
      case FTRL:
        return new FtrlOptimizer(sliceLength, lr, l2, l1, cfg.ftrlBeta());
      default:
        throw new IllegalArgumentException("no optimizer for type " + cfg.type());
    }
  }

  /**
   * Bytes of state an optimizer of {@code type} holds for a slice of {@code sliceLength}
   * floats once it has been used, for planning slice placement before any update.
   */
  public static long stateBytes(OptimizerType type, int sliceLength) {
    switch (type) {
      case SGD:
        return 0;
      case MOMENTUM:
      case ADAGRAD:
        return 4L * sliceLength;
      case ADAM:
        return 8L * sliceLength + Long.BYTES;
      case FTRL:
        return 8L * sliceLength;
      default:
        throw new IllegalArgumentException("no optimizer for type " + type);
    }
  }
}
