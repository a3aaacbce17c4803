package io.sparkps.server.optim;

import io.sparkps.transport.FloatPayload;

/**
 * The update rule of one slice: a server holds one instance per slice it owns, and the
 * instance holds that slice's optimizer state (momentum, accumulators, step count).
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.create(OptimizerConfig.adam(1e-3f), slice.length);
 * opt.apply(slice, meanGradient);                  // dense: every float of the slice
 * opt.applySparse(slice, rows, rowGradients, 16);  // sparse: only rows 3, 7, ... of width 16
 * }</pre>
 *
 * <p>Not thread safe: the server applies the updates of a slice one at a time. Both methods
 * check their arguments before touching anything, so a malformed update changes nothing.
 * Gradients are used as given; rejecting NaN or infinite ones is the caller's job.
 */
public interface Optimizer {

  /**
   * Applies one update with the given mean gradient, in place.
   *
   * @param params the slice; its length must be the slice length the optimizer was made for
   * @param meanGradient same length as {@code params}; not modified
   * @throws IllegalArgumentException if the lengths differ from the slice length
   */
  void apply(float[] params, float[] meanGradient);

  /**
   * Applies one update whose mean gradient is {@code scale * gradient}, in place, without
   * building that mean: a server applies a gradient sum as it arrived. {@code gradient} is not
   * modified.
   *
   * @throws IllegalArgumentException if the lengths differ from the slice length
   */
  default void apply(float[] params, float[] gradient, float scale) {
    float[] mean = new float[gradient.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = scale * gradient[i];
    }
    apply(params, mean);
  }

  /**
   * The same as {@link #apply(float[], float[], float)}, with the gradient read where it lies:
   * in the received frame of an UPDATE, or a region of an array. The built-in optimizers read
   * it block by block, so that no array of the slice's size is made; this default copies it
   * into one.
   *
   * @throws IllegalArgumentException if the lengths differ from the slice length
   */
  default void apply(float[] params, FloatPayload gradient, float scale) {
    apply(params, gradient.toArray(), scale);
  }

  /**
   * Applies one update to some rows of the slice only, in place; other rows, and their
   * optimizer state, are left untouched. Row {@code offsets[i]} is
   * {@code params[offsets[i] * rowWidth, (offsets[i] + 1) * rowWidth)} and its gradient is
   * {@code meanGradientRows[i * rowWidth, (i + 1) * rowWidth)}. As in ps-lite, the offsets
   * must be strictly increasing (sorted, no duplicates), so that no row is updated twice.
   *
   * <p>Giving every row is the same as {@link #apply}. The built-in optimizers all support
   * it; the default implementation refuses, so that a future dense-only optimizer fails
   * loudly instead of silently updating rows that were not sent.
   *
   * @throws IllegalArgumentException if rowWidth < 1, an offset is out of the slice or not
   *     increasing, or {@code meanGradientRows.length != offsets.length * rowWidth}
   * @throws UnsupportedOperationException if the optimizer has no sparse form
   */
  default void applySparse(float[] params, int[] offsets, float[] meanGradientRows,
      int rowWidth) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " does not support sparse updates");
  }

  /**
   * Bytes of optimizer state held now, for memory accounting. State is allocated on the
   * first update, so this is 0 before it; {@link Optimizers#stateBytes} gives the figure to
   * plan with.
   */
  long stateBytes();

  /**
   * The optimizer's state (momentum, accumulators, moments, FTRL z/n, step count) as bytes,
   * little-endian, for a backup copy of the slice or a checkpoint; an optimizer without state
   * (SGD) returns an empty array. Restoring it with loadState into a fresh optimizer of the
   * same config and length gives one that applies every later update bit for bit the same.
   * The array is a copy: later updates do not change it.
   */
  byte[] saveState();

  /**
   * Replaces this optimizer's state with one saved by saveState of an optimizer of the same
   * type and slice length. The state is checked before anything changes, so a state that does
   * not fit leaves this optimizer as it was.
   *
   * @throws IllegalArgumentException (naming expected and actual sizes) if it does not fit
   */
  void loadState(byte[] state);
}
