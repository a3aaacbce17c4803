package io.sparkps.server.optim;

/**
 * AdaGrad: {@code h += g^2; w -= lr * g / (sqrt(h) + eps)}, with {@code g + l2 * w} as the
 * gradient and {@code h} starting at 0. Per-coordinate by nature, so a sparse update is
 * exactly the dense rule restricted to the rows sent.
 */
final class AdaGradOptimizer extends RowWiseOptimizer {

  private final float epsilon;
  private float[] accumulator;

  AdaGradOptimizer(int length, float learningRate, float l2, float epsilon) {
    super(length, learningRate, l2);
    this.epsilon = epsilon;
  }

  @Override
  void beginStep() {
    if (accumulator == null) {
      accumulator = new float[length];
    }
  }

  @Override
  void update(float[] w, float[] g, int p, int q, int n) {
    float[] h = accumulator;
    for (int i = 0; i < n; i++) {
      int k = p + i;
      float gi = g[q + i] + l2 * w[k];
      h[k] += gi * gi;
      w[k] -= learningRate * gi / ((float) Math.sqrt(h[k]) + epsilon);
    }
  }

  @Override
  public long stateBytes() {
    return accumulator == null ? 0 : 4L * length;
  }
}
