package io.sparkps.server.optim;

import io.sparkps.config.OptimizerType;
import java.nio.ByteBuffer;

/**
 * Adam (Kingma and Ba) with bias correction:
 * <pre>
 *   t += 1
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * with {@code g + l2 * w} as the gradient. The step count {@code t} belongs to the slice and
 * counts every update, dense or sparse.
 *
 * <p>Sparse updates are lazy (as TensorFlow's LazyAdam): only the rows sent have their moments
 * decayed and updated, with the bias correction of the slice's step count; other rows keep
 * their moments and do not move. Dense Adam would keep moving every row on its old moments.
 */
final class AdamOptimizer extends RowWiseOptimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private float[] m;
  private float[] v;
  private long step;
  // 1 / (1 - beta^t) of the current step, computed once per step in double.
  private float invCorrection1;
  private float invCorrection2;

  AdamOptimizer(int length, float learningRate, float l2, float l1, float beta1, float beta2,
      float epsilon) {
    super(length, learningRate, l2, l1);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  void beginStep() {
    if (m == null) {
      m = new float[length];
      v = new float[length];
    }
    step++;
    invCorrection1 = (float) (1.0 / (1.0 - Math.pow(beta1, step)));
    invCorrection2 = (float) (1.0 / (1.0 - Math.pow(beta2, step)));
  }

  @Override
  void update(float[] w, float[] g, float scale, int p, int q, int n) {
    float oneMinusBeta1 = 1f - beta1;
    float oneMinusBeta2 = 1f - beta2;
    for (int i = 0; i < n; i++) {
      int k = p + i;
      float gi = scale * g[q + i] + l2 * w[k];
      m[k] = beta1 * m[k] + oneMinusBeta1 * gi;
      v[k] = beta2 * v[k] + oneMinusBeta2 * gi * gi;
      float mHat = m[k] * invCorrection1;
      float vHat = v[k] * invCorrection2;
      w[k] -= learningRate * mHat / ((float) Math.sqrt(vHat) + epsilon);
    }
  }

  /** Updates applied so far (dense and sparse). */
  long step() {
    return step;
  }

  @Override
  public long stateBytes() {
    return m == null ? 0 : 8L * length + Long.BYTES;
  }

  /**
   * Layout after the {@link StateCodec} header: {@code m}, {@code v}, then the step count
   * (long), which the bias correction of every later update depends on. The corrections
   * themselves are not saved: {@link #beginStep} recomputes them from the step count.
   */
  @Override
  public byte[] saveState() {
    if (m == null) {
      return StateCodec.neverUsed(OptimizerType.ADAM);
    }
    ByteBuffer out = StateCodec.begin(OptimizerType.ADAM, 8L * length + Long.BYTES);
    StateCodec.putFloats(out, m);
    StateCodec.putFloats(out, v);
    out.putLong(step);
    return out.array();
  }

  @Override
  public void loadState(byte[] state) {
    ByteBuffer in = StateCodec.open(state, OptimizerType.ADAM, length,
        8L * length + Long.BYTES);
    if (in == null) {
      m = null;
      v = null;
      step = 0;
      return;
    }
    float[] newM = StateCodec.getFloats(in, length);
    float[] newV = StateCodec.getFloats(in, length);
    long newStep = in.getLong();
    if (newStep < 1) {
      throw new IllegalArgumentException("cannot load ADAM state with step count " + newStep
          + ": a used optimizer has taken at least 1 step");
    }
    m = newM;
    v = newV;
    step = newStep;
  }
}
