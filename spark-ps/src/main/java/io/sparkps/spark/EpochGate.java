package io.sparkps.spark;

/**
 * The driver's side of the epoch-end gate of a fit that has one (a fit with a validation set):
 * every worker, once the last step of an epoch is answered, sends the driver its figures for
 * that epoch and waits; when every worker's are in, the driver calls {@link #epochEnded} with
 * their element-wise sum and answers every worker with the decision.
 *
 * <p>Called on one driver thread, in epoch order, once per epoch: a worker task run again that
 * sends an epoch's figures once more gets the decision already made. The workers wait for the
 * answer at most spark.ps.rpc.timeout, so an implementation should decide well within that.
 */
public interface EpochGate {

  /**
   * Decides after epoch {@code epoch}, counted from 0 (the index into the summary's per-epoch
   * arrays), from the workers' figures summed element-wise.
   */
  EpochDecision epochEnded(int epoch, double[] summed);

  /**
   * The name of the validation figure {@link #validation} gives second ({@code
   * "areaUnderROC"}, {@code "accuracy"}, {@code "rmse"}), for the listeners' events; null
   * when there is none.
   */
  default String validationMetric() {
    return null;
  }

  /**
   * The validation loss and metric of an epoch {@link #epochEnded} has decided, for the
   * listeners' end-of-epoch event: {@code {loss, metric}}, NaN where not known. Called from
   * another driver thread than {@link #epochEnded}, after it returned for that epoch.
   */
  default double[] validation(int epoch) {
    return new double[] {Double.NaN, Double.NaN};
  }
}
