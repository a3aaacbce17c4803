package io.sparkps.server.optim;

/** {@code w -= lr * (g + l2 * w)}; no state. */
final class SgdOptimizer extends RowWiseOptimizer {

  SgdOptimizer(int length, float learningRate, float l2) {
    super(length, learningRate, l2);
  }

  @Override
  void update(float[] w, float[] g, int p, int q, int n) {
    for (int i = 0; i < n; i++) {
      float gi = g[q + i] + l2 * w[p + i];
      w[p + i] -= learningRate * gi;
    }
  }

  @Override
  public long stateBytes() {
    return 0;
  }
}
