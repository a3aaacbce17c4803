package io.sparkps.spark;

import java.io.Serializable;

/**
 * What the driver's {@link EpochGate} decided at the end of an epoch, as every worker hears it.
 *
 * @param goOn whether the workers train another epoch; a worker told false ends its task
 *     normally after this epoch
 * @param best whether the epoch just ended is the best so far
 */
public record EpochDecision(boolean goOn, boolean best) implements Serializable {

  /** Train on; the epoch is not marked best. */
  public static final EpochDecision GO_ON = new EpochDecision(true, false);
}
