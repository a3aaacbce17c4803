package io.sparkps.spark;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A {@link TrainingListener} that prints one concise line per epoch on the driver's console,
 * with a line before the first and after the last:
 *
 * <pre>
 * spark-ps: sandblaster, 2 workers, 2 servers, 5 epochs of 32,576 examples
 * epoch 1/5  loss 0.38120  52,410 examples/s  ETA 3s
 * epoch 2/5  loss 0.33014  55,102 examples/s  ETA 2s  validation loss 0.32871 areaUnderROC 0.90012
 * ...
 * spark-ps: trained in 3.1 s, final loss 0.32550
 * </pre>
 *
 * <pre>{@code
 * new PSTrainer().addListener(new ConsoleProgress()).fit(training);
 * }</pre>
 *
 * <p>Progress within an epoch is not printed: a console line per epoch stays readable in logs
 * and terminals alike.
 */
public final class ConsoleProgress implements TrainingListener {
  private final PrintStream out;

  /** Prints to {@code System.out}. */
  public ConsoleProgress() {
    this(System.out);
  }

  public ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void fitStarted(TrainingStart s) {
    out.println(String.format(Locale.ROOT, "spark-ps: %s, %d workers, %d servers, %d epochs of "
        + "%,d examples", s.framework(), s.numWorkers(), s.numServers(), s.maxEpochs(),
        s.examplesPerEpoch()));
  }

  @Override
  public void progressed(TrainingProgress p) {
    if (p.epochEnded()) {
      out.println(line(p));
    }
  }

  @Override
  public void fitEnded(TrainingSummary s) {
    out.println(String.format(Locale.ROOT, "spark-ps: trained in %.1f s, final loss %.5f",
        s.trainSeconds(), s.finalLoss()));
  }

  /** The line of one end-of-epoch event. */
  static String line(TrainingProgress p) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
        "epoch %d/%d  loss %.5f  %,.0f examples/s  ETA %s", p.epoch(), p.maxEpochs(), p.loss(),
        p.examplesPerSecond(), duration(p.etaSeconds())));
    if (!Double.isNaN(p.validationLoss())) {
      b.append(String.format(Locale.ROOT, "  validation loss %.5f", p.validationLoss()));
    }
    if (p.validationMetric() != null && !Double.isNaN(p.validationValue())) {
      b.append(String.format(Locale.ROOT, " %s %.5f", p.validationMetric(),
          p.validationValue()));
    }
    return b.toString();
  }

  /** Seconds as {@code 42s}, {@code 3m05s} or {@code 2h07m}; {@code ?} when unknown. */
  static String duration(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }
}
