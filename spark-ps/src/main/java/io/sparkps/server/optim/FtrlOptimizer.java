package io.sparkps.server.optim;

import io.sparkps.config.OptimizerType;
import java.nio.ByteBuffer;

/**
 * FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches", KDD 2013,
 * Algorithm 1), per coordinate with state {@code z} and {@code n}:
 * <pre>
 *   sigma = (sqrt(n + g^2) - sqrt(n)) / alpha
 *   z    += g - sigma * w
 *   n    += g^2
 *   w     = |z| <= l1 ? 0 : -(z - sign(z) * l1) / ((beta + sqrt(n)) / alpha + l2)
 * </pre>
 * with the learning rate as {@code alpha}. L1 and L2 enter only through the closed form of
 * {@code w} (not as a gradient term or a separate proximal step), so L1 gives exact zeros.
 *
 * <p>The params are overwritten with {@code w(z, n)} at every update of a coordinate: FTRL's
 * weights are a function of its state, and a value written to the params by anything else
 * (e.g. a sync) is only seen through the {@code sigma * w} term of the next update.
 *
 * <p>Initial values: state is initialised lazily, per coordinate, from the params' current
 * value. A coordinate with no state yet ({@code z = n = 0}) and a gradient of 0 is left alone
 * (value and state); at its first non-zero gradient {@code z} is set to
 * {@code -(w0 * (beta / alpha + l2) + sign(w0) * l1)}, for which {@code w(z, 0) = w0}, before
 * the update. Starting from zeros (the usual case) this is plain FTRL with {@code z = n = 0}.
 *
 * <p>Sparse updates touch only the rows sent; giving every row is identical to {@link #apply}.
 * Arithmetic is done in double and the state stored in float (8 bytes per coordinate).
 */
final class FtrlOptimizer extends RowWiseOptimizer {

  private final double alpha;
  private final double beta;
  private final double l1;
  private final double l2Ftrl;
  private float[] z;
  private float[] n;

  FtrlOptimizer(int length, float alpha, float l2, float l1, float beta) {
    // No gradient L2 and no proximal L1 in the base class: both are in the closed form of w.
    super(length, alpha, 0f, 0f);
    this.alpha = alpha;
    this.beta = beta;
    this.l1 = l1;
    this.l2Ftrl = l2;
  }

  @Override
  void beginStep() {
    if (z == null) {
      z = new float[length];
      n = new float[length];
    }
  }

  @Override
  void update(float[] w, float[] g, float scale, int p, int q, int count) {
    for (int i = 0; i < count; i++) {
      int k = p + i;
      double gi = scale * g[q + i];
      double nk = n[k];
      double zk = z[k];
      double wk = w[k];
      if (nk == 0 && zk == 0) {
        if (gi == 0) {
          continue;  // untouched so far: keep the value as it is
        }
        // z for which w(z, 0) == wk, so that FTRL starts from the current value.
        zk = wk == 0 ? 0 : -(wk * (beta / alpha + l2Ftrl) + Math.signum(wk) * l1);
      }
      double nNew = nk + gi * gi;
      double sqrtN = Math.sqrt(nNew);
      double sigma = (sqrtN - Math.sqrt(nk)) / alpha;
      zk += gi - sigma * wk;
      z[k] = (float) zk;
      n[k] = (float) nNew;
      w[k] = (float) weight(zk, sqrtN);
    }
  }

  private double weight(double zk, double sqrtN) {
    if (Math.abs(zk) <= l1) {
      return 0;
    }
    return -(zk - Math.signum(zk) * l1) / ((beta + sqrtN) / alpha + l2Ftrl);
  }

  @Override
  public long stateBytes() {
    return z == null ? 0 : 8L * length;
  }

  /** Layout after the {@link StateCodec} header: {@code z}, then {@code n}. */
  @Override
  public byte[] saveState() {
    if (z == null) {
      return StateCodec.neverUsed(OptimizerType.FTRL);
    }
    ByteBuffer out = StateCodec.begin(OptimizerType.FTRL, 8L * length);
    StateCodec.putFloats(out, z);
    StateCodec.putFloats(out, n);
    return out.array();
  }

  @Override
  public void loadState(byte[] state) {
    ByteBuffer in = StateCodec.open(state, OptimizerType.FTRL, length, 8L * length);
    if (in == null) {
      z = null;
      n = null;
    } else {
      z = StateCodec.getFloats(in, length);
      n = StateCodec.getFloats(in, length);
    }
  }
}
