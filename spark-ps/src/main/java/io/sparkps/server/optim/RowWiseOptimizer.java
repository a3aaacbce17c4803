package io.sparkps.server.optim;

import io.sparkps.transport.FloatPayload;

/**
 * Shared argument checks and dense/sparse plumbing for rules that update each float from its
 * own gradient and state: subclasses implement {@link #update} over one contiguous range,
 * which serves both a whole slice and one row. State arrays are indexed like the params, so a
 * sparse update touches only the state of its rows.
 *
 * <p>L1: when {@code l1 > 0}, each updated float then gets the proximal (soft-threshold) step
 * {@code w = sign(w) * max(|w| - lr * l1, 0)}, so weights with little gradient become exactly
 * 0; a sparse update shrinks only its rows. Rules with a per-coordinate step size override
 * {@link #shrink} to use it instead of {@code lr}.
 */
abstract class RowWiseOptimizer implements Optimizer {

  final int length;
  final float learningRate;
  final float l2;
  /** {@code lr * l1}, the soft threshold of the L1 proximal step; 0 for none. */
  final float l1Threshold;

  RowWiseOptimizer(int length, float learningRate, float l2, float l1) {
    this.length = length;
    this.learningRate = learningRate;
    this.l2 = l2;
    this.l1Threshold = learningRate * l1;
  }

  @Override
  public final void apply(float[] params, float[] meanGradient) {
    apply(params, meanGradient, 1f);
  }

  @Override
  public final void apply(float[] params, float[] gradient, float scale) {
    if (params.length != length || gradient.length != length) {
      throw new IllegalArgumentException("params has " + params.length + " floats and the"
          + " gradient " + gradient.length + ": both must be the slice length " + length);
    }
    beginStep();
    update(params, gradient, scale, 0, 0, length);
    shrink(params, 0, length);
  }

  @Override
  public final void apply(float[] params, FloatPayload gradient, float scale) {
    if (params.length != length || gradient.length() != length) {
      throw new IllegalArgumentException("params has " + params.length + " floats and the"
          + " gradient " + gradient.length() + ": both must be the slice length " + length);
    }
    beginStep();
    gradient.forEachBlock((g, base, from, n) -> {
      update(params, g, scale, from, base, n);
      shrink(params, from, n);
    });
  }

  @Override
  public final void applySparse(float[] params, int[] offsets, float[] meanGradientRows,
      int rowWidth) {
    checkSparse(params, offsets, meanGradientRows, rowWidth);
    beginStep();
    for (int i = 0; i < offsets.length; i++) {
      update(params, meanGradientRows, 1f, offsets[i] * rowWidth, i * rowWidth, rowWidth);
      shrink(params, offsets[i] * rowWidth, rowWidth);
    }
  }

  private void checkSparse(float[] params, int[] offsets, float[] rows, int rowWidth) {
    if (params.length != length) {
      throw new IllegalArgumentException("params has " + params.length
          + " floats: must be the slice length " + length);
    }
    if (rowWidth < 1) {
      throw new IllegalArgumentException("rowWidth=" + rowWidth + ": must be >= 1");
    }
    if ((long) offsets.length * rowWidth != rows.length) {
      throw new IllegalArgumentException("gradient rows have " + rows.length + " floats: must"
          + " be offsets.length * rowWidth = " + offsets.length + " * " + rowWidth);
    }
    long rowsInSlice = length / rowWidth;
    int previous = -1;
    for (int i = 0; i < offsets.length; i++) {
      int r = offsets[i];
      if (r <= previous || r >= rowsInSlice) {
        throw new IllegalArgumentException("offsets[" + i + "]=" + r + ": row offsets must be"
            + " strictly increasing and in [0, " + rowsInSlice + ") (slice of " + length
            + " floats, rowWidth " + rowWidth + ")" + (i > 0 && r <= previous
            ? "; offsets[" + (i - 1) + "]=" + previous : ""));
      }
      previous = r;
    }
  }

  /** The L1 proximal step on {@code w[p, p + n)}, after its update; NaN stays NaN. */
  void shrink(float[] w, int p, int n) {
    float t = l1Threshold;
    if (t == 0f) {
      return;
    }
    for (int k = p; k < p + n; k++) {
      float wk = w[k];
      w[k] = Math.abs(wk) <= t ? 0f : wk - Math.copySign(t, wk);
    }
  }

  /** Called once per {@link #apply} or {@link #applySparse}, before any {@link #update}. */
  void beginStep() {
  }

  /**
   * Applies the rule to {@code params[p, p + n)} with {@code scale * grad[q, q + n)}; state
   * index {@code p + i} belongs to {@code params[p + i]}.
   */
  abstract void update(float[] params, float[] grad, float scale, int p, int q, int n);
}
