package io.sparkps.server.optim;

import io.sparkps.config.OptimizerType;
import java.nio.ByteBuffer;

/**
 * Classical heavy-ball momentum: {@code v = m * v + g; w -= lr * v}, with
 * {@code g + l2 * w} as the gradient.
 *
 * <p>Sparse updates are lazy: a row not in the update keeps its velocity and does not move,
 * instead of coasting on its velocity as dense momentum would. That is the usual choice for
 * sparse models (it keeps an update proportional to the rows sent) and the one that makes
 * applying every row identical to {@link #apply}.
 */
final class MomentumOptimizer extends RowWiseOptimizer {

  private final float momentum;
  private float[] velocity;

  MomentumOptimizer(int length, float learningRate, float l2, float l1, float momentum) {
    super(length, learningRate, l2, l1);
    this.momentum = momentum;
  }

  @Override
  void beginStep() {
    if (velocity == null) {
      velocity = new float[length];
    }
  }

  @Override
  void update(float[] w, float[] g, float scale, int p, int q, int n) {
    float[] v = velocity;
    for (int i = 0; i < n; i++) {
      int k = p + i;
      float gi = scale * g[q + i] + l2 * w[k];
      v[k] = momentum * v[k] + gi;
      w[k] -= learningRate * v[k];
    }
  }

  @Override
  public long stateBytes() {
    return velocity == null ? 0 : 4L * length;
  }

  /** Layout after the {@link StateCodec} header: the velocity. */
  @Override
  public byte[] saveState() {
    if (velocity == null) {
      return StateCodec.neverUsed(OptimizerType.MOMENTUM);
    }
    ByteBuffer out = StateCodec.begin(OptimizerType.MOMENTUM, 4L * length);
    StateCodec.putFloats(out, velocity);
    return out.array();
  }

  @Override
  public void loadState(byte[] state) {
    ByteBuffer in = StateCodec.open(state, OptimizerType.MOMENTUM, length, 4L * length);
    velocity = in == null ? null : StateCodec.getFloats(in, length);
  }
}
