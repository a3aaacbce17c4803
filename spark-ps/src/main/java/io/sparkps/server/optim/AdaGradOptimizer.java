package io.sparkps.server.optim;

import io.sparkps.config.OptimizerType;
import java.nio.ByteBuffer;

/**
 * AdaGrad: {@code h += g^2; w -= lr * g / (sqrt(h) + eps)}, with {@code g + l2 * w} as the
 * gradient and {@code h} starting at 0. Per-coordinate by nature, so a sparse update is
 * exactly the dense rule restricted to the rows sent.
 *
 * <p>L1 is the proximal step with AdaGrad's own per-coordinate step size (Duchi, Hazan and
 * Singer 2011, composite mirror descent):
 * {@code w = sign(w) * max(|w| - lr * l1 / (sqrt(h) + eps), 0)}. A fixed threshold
 * {@code lr * l1} would outlast AdaGrad's decaying steps and end up zeroing every weight.
 */
final class AdaGradOptimizer extends RowWiseOptimizer {

  private final float epsilon;
  private float[] accumulator;

  AdaGradOptimizer(int length, float learningRate, float l2, float l1, float epsilon) {
    super(length, learningRate, l2, l1);
    this.epsilon = epsilon;
  }

  @Override
  void beginStep() {
    if (accumulator == null) {
      accumulator = new float[length];
    }
  }

  @Override
  void update(float[] w, float[] g, float scale, int p, int q, int n) {
    float[] h = accumulator;
    for (int i = 0; i < n; i++) {
      int k = p + i;
      float gi = scale * g[q + i] + l2 * w[k];
      h[k] += gi * gi;
      w[k] -= learningRate * gi / ((float) Math.sqrt(h[k]) + epsilon);
    }
  }

  @Override
  void shrink(float[] w, int p, int n) {
    if (l1Threshold == 0f) {
      return;
    }
    float[] h = accumulator;
    for (int k = p; k < p + n; k++) {
      float t = l1Threshold / ((float) Math.sqrt(h[k]) + epsilon);
      float wk = w[k];
      w[k] = Math.abs(wk) <= t ? 0f : wk - Math.copySign(t, wk);
    }
  }

  @Override
  public long stateBytes() {
    return accumulator == null ? 0 : 4L * length;
  }

  /** Layout after the {@link StateCodec} header: the accumulator {@code h}. */
  @Override
  public byte[] saveState() {
    if (accumulator == null) {
      return StateCodec.neverUsed(OptimizerType.ADAGRAD);
    }
    ByteBuffer out = StateCodec.begin(OptimizerType.ADAGRAD, 4L * length);
    StateCodec.putFloats(out, accumulator);
    return out.array();
  }

  @Override
  public void loadState(byte[] state) {
    ByteBuffer in = StateCodec.open(state, OptimizerType.ADAGRAD, length, 4L * length);
    accumulator = in == null ? null : StateCodec.getFloats(in, length);
  }
}
