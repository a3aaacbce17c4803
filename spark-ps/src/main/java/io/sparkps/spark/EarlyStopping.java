package io.sparkps.spark;

import java.util.Arrays;

/**
 * The validation curve of a fit and the early-stopping rule over it, as MLlib's GBT and
 * xgboost apply it: an epoch improves on the best so far when its validation loss is lower
 * than the best by more than {@code tol}; after {@code rounds} epochs in a row without an
 * improvement the fit stops ({@code rounds = 0}: never early). The first epoch with a finite
 * loss is the first best; a NaN loss never improves.
 *
 * <p>An epoch recorded again (a training stage that started over) drops the epochs after it,
 * so that the decisions always follow from the curve as it now stands. Not thread safe: the
 * gate calls it from one driver thread.
 */
final class EarlyStopping {
  private final int rounds;
  private final double tol;
  private final int maxEpochs;
  private double[] losses = new double[0];
  private int best = -1;
  private int sinceBest;

  EarlyStopping(int rounds, double tol, int maxEpochs) {
    this.rounds = rounds;
    this.tol = tol;
    this.maxEpochs = maxEpochs;
  }

  /**
   * Records the validation loss of {@code epoch} (from 0) and decides: {@code goOn} false once
   * {@code rounds} epochs passed without improvement, {@code best} when this epoch improved.
   */
  EpochDecision record(int epoch, double loss) {
    if (epoch < 0 || epoch > losses.length) {
      throw new IllegalArgumentException("epoch " + epoch + " ends after " + losses.length
          + " recorded epochs");
    }
    double[] earlier = Arrays.copyOf(losses, epoch);
    losses = new double[0];
    best = -1;
    sinceBest = 0;
    for (double l : earlier) {
      add(l);
    }
    boolean improved = add(loss);
    return new EpochDecision(!stopsAfter(), improved);
  }

  private boolean add(double loss) {
    losses = Arrays.copyOf(losses, losses.length + 1);
    losses[losses.length - 1] = loss;
    boolean improved = !Double.isNaN(loss) && (best < 0 || loss < losses[best] - tol);
    if (improved) {
      best = losses.length - 1;
      sinceBest = 0;
    } else {
      sinceBest++;
    }
    return improved;
  }

  private boolean stopsAfter() {
    return rounds > 0 && sinceBest >= rounds;
  }

  /** The epoch (from 0) of the best validation loss, or -1 before any finite one. */
  int bestEpoch() {
    return best;
  }

  /** Whether the rule stopped the fit before {@code maxEpochs}. */
  boolean stoppedEarly() {
    return stopsAfter() && losses.length < maxEpochs;
  }

  /** Epochs recorded. */
  int epochs() {
    return losses.length;
  }

  /** The validation loss of each recorded epoch. */
  double[] losses() {
    return losses.clone();
  }
}
