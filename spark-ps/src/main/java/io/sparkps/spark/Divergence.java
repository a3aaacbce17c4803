package io.sparkps.spark;

import io.sparkps.config.InvalidConfigException;

/**
 * Tells a training that diverged. The training data was checked to be finite before any step
 * ran, so a NaN or infinite loss or gradient means the params themselves ran off: the step
 * size is too large for the data and model. Workers check every step; the driver also refuses
 * a finished fit whose trained params are not all finite (the last update can overflow with no
 * step after it to notice), or whose loss ended more than {@value #GROWTH} times above where it
 * started (a loss with bounded gradients, such as the logistic loss, grows without ever
 * overflowing).
 */
final class Divergence {
  /** How many times its first step's loss a fit's last epoch may not exceed. */
  static final double GROWTH = 1000;

  private Divergence() {}

  /**
   * Checks one step's loss and gradients (as they are about to be pushed).
   *
   * @throws InvalidConfigException naming stepSize when the loss or a gradient value is NaN or
   *     infinite; nothing of the step has been pushed then
   */
  static void check(double loss, float[][] gradients, long step, int worker, float stepSize) {
    checkLoss(loss, step, worker, stepSize);
    for (int p = 0; p < gradients.length; p++) {
      checkGradient(p, gradients[p], step, worker, stepSize);
    }
  }

  /**
   * Checks one param's gradient of a step, as it is about to be pushed.
   *
   * @throws InvalidConfigException naming stepSize when a value is NaN or infinite; no value
   *     of this param has been pushed then
   */
  static void checkGradient(int p, float[] g, long step, int worker, float stepSize) {
    for (int i = 0; i < g.length; i++) {
      if (!Float.isFinite(g[i])) {
        throw diverged(" at step " + step + " of worker " + worker + ": the gradient of param "
            + p + " is " + g[i] + " at index " + i + " although the training data is finite",
            stepSize);
      }
    }
  }

  /**
   * Checks one step's loss.
   *
   * @throws InvalidConfigException naming stepSize when it is NaN or infinite
   */
  static void checkLoss(double loss, long step, int worker, float stepSize) {
    if (!Double.isFinite(loss)) {
      throw diverged(" at step " + step + " of worker " + worker + ": the loss is " + loss
          + " although the training data is finite", stepSize);
    }
  }

  /**
   * Checks the trained params of a finished fit.
   *
   * @throws InvalidConfigException naming stepSize when a value is NaN or infinite
   */
  static void checkParams(io.sparkps.client.ParamValues params, float stepSize) {
    for (int p = 0; p < params.size(); p++) {
      float[] v = params.values(p);
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          throw diverged(": the trained param " + p + " holds " + v[i] + " at stored value " + i,
              stepSize);
        }
      }
    }
  }

  /**
   * Checks a finished fit: its last epoch's mean loss must not exceed {@value #GROWTH} times
   * the mean loss of its first step (when that is positive: a loss that starts at 0 gives no
   * scale).
   *
   * @throws InvalidConfigException naming stepSize
   */
  static void checkGrowth(TrainingSummary summary, float stepSize) {
    double first = summary.stepLoss().length == 0 ? Double.NaN : summary.stepLoss()[0];
    double last = summary.finalLoss();
    if (first > 0 && last > GROWTH * first) {
      throw diverged(": the mean loss grew from " + first + " at the first step to " + last
          + " in the last epoch (more than " + (long) GROWTH + " times)", stepSize);
    }
  }

  /** "the training diverged" + {@code how}, and what to change. */
  private static InvalidConfigException diverged(String how, float stepSize) {
    return new InvalidConfigException("stepSize", "the training diverged" + how
        + ". stepSize=" + stepSize + " is too large "
        + "for this data and model: set a smaller stepSize (e.g. " + stepSize / 10 + ")");
  }
}
