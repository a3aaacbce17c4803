package io.sparkps.spark;

import io.sparkps.client.ParamValues;
import io.sparkps.model.TrainableModel;
import java.util.Arrays;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of a fit with a validation set: at every epoch's end it reads the
 * workers' summed {@link ValidationFigures}, keeps the validation curve, applies {@link
 * EarlyStopping}, and keeps the best epoch's values.
 *
 * <p>How the best epoch's values are kept: with separate servers, {@code pullBest} pulls the
 * master copy of every param from the servers while every worker waits at the gate for this
 * answer, so the values are exactly those at the end of that epoch. Co-located servers stop
 * with the training stage and the driver holds no connection to them: there the answer's
 * {@code best} flag tells the worker that gathers the params to pull a copy. Values are kept
 * only when early stopping is on ({@code earlyStoppingRounds > 0}); without it the fit
 * returns the last epoch's model, as MLlib's GBT does, and {@code best} is always false.
 *
 * <p>Thread safe: the gate calls {@link #epochEnded} from one driver thread while the fit's
 * thread may read the curve.
 */
final class ValidationGate implements EpochGate {
  private static final Logger LOG = LoggerFactory.getLogger(ValidationGate.class);

  private final TrainableModel.Task task;
  private final int maxEpochs;
  private final boolean keepBest;
  private final EarlyStopping stopping;
  private final Supplier<ParamValues> pullBest;
  private final double[] values;
  private long rows;
  private ParamValues best;

  /**
   * @param pullBest pulls the current values from separate servers; null when the servers are
   *     co-located and a worker keeps them
   */
  ValidationGate(TrainableModel.Task task, int maxEpochs, int earlyStoppingRounds,
      double validationTol, Supplier<ParamValues> pullBest) {
    this.task = task;
    this.maxEpochs = maxEpochs;
    this.keepBest = earlyStoppingRounds > 0;
    this.stopping = new EarlyStopping(earlyStoppingRounds, validationTol, maxEpochs);
    this.pullBest = pullBest;
    this.values = new double[maxEpochs];
    Arrays.fill(values, Double.NaN);
  }

  @Override
  public synchronized EpochDecision epochEnded(int epoch, double[] summed) {
    int expected = ValidationFigures.length(task);
    if (summed.length != expected) {
      throw new IllegalArgumentException("the workers sent " + summed.length
          + " validation figures for epoch " + (epoch + 1) + ", expected " + expected);
    }
    double loss = ValidationFigures.loss(summed);
    double value = ValidationFigures.metric(task, summed);
    rows = ValidationFigures.rows(summed);
    values[epoch] = value;
    Arrays.fill(values, epoch + 1, maxEpochs, Double.NaN);
    EpochDecision rule = stopping.record(epoch, loss);
    boolean keep = keepBest && rule.best();
    if (keep && pullBest != null) {
      best = pullBest.get();
    }
    String bound = task == TrainableModel.Task.BINARY_CLASSIFICATION
        ? String.format(" (histogram error at most %.1e)", ValidationFigures.aucErrorBound(summed))
        : "";
    LOG.info("Epoch {}/{}: validation loss {} over {} rows, {} {}{}; best epoch {}{}",
        epoch + 1, maxEpochs, String.format("%.5f", loss), rows,
        ValidationFigures.metricName(task), String.format("%.5f", value), bound,
        stopping.bestEpoch() + 1, rule.goOn() ? "" : ", stopping early");
    return new EpochDecision(rule.goOn(), keep);
  }

  /** The validation loss at the end of {@code epoch} (from 0); NaN when not yet known. */
  synchronized double loss(int epoch) {
    return epoch < stopping.epochs() ? stopping.losses()[epoch] : Double.NaN;
  }

  /** The metric's value at the end of {@code epoch} (from 0); NaN when not yet known. */
  synchronized double value(int epoch) {
    return epoch < stopping.epochs() ? values[epoch] : Double.NaN;
  }

  String metricName() {
    return ValidationFigures.metricName(task);
  }

  @Override
  public String validationMetric() {
    return metricName();
  }

  @Override
  public synchronized double[] validation(int epoch) {
    return new double[] {loss(epoch), value(epoch)};
  }

  /** Epochs the workers trained: those whose end the gate has seen. */
  synchronized int epochs() {
    return stopping.epochs();
  }

  /**
   * The values to return: the best epoch's, pulled from separate servers, when early stopping
   * is on and they were pulled; null to take the values at the end of the fit.
   */
  synchronized ParamValues bestValues() {
    return best;
  }

  /** The validation curve, as the summary holds it. */
  synchronized TrainingSummary.Validation summary() {
    int n = stopping.epochs();
    return new TrainingSummary.Validation(metricName(), stopping.losses(),
        Arrays.copyOf(values, n), stopping.bestEpoch() + 1, stopping.stoppedEarly(), rows);
  }
}
