package io.sparkps.server.optim;

import io.sparkps.config.OptimizerType;

/** {@code w -= lr * (g + l2 * w)}, then the L1 proximal step if any; no state. */
final class SgdOptimizer extends RowWiseOptimizer {

  SgdOptimizer(int length, float learningRate, float l2, float l1) {
    super(length, learningRate, l2, l1);
  }

  @Override
  void update(float[] w, float[] g, float scale, int p, int q, int n) {
    for (int i = 0; i < n; i++) {
      float gi = scale * g[q + i] + l2 * w[p + i];
      w[p + i] -= learningRate * gi;
    }
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
    StateCodec.requireEmpty(state, OptimizerType.SGD, length);
  }
}
