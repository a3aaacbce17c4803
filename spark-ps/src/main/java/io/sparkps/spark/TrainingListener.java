package io.sparkps.spark;

/**
 * Hears a fit's progress on the driver while it runs: register one with {@link
 * PSTrainer#addListener}. The driver calls a listener from one thread, in order, never from a
 * worker; a listener should return quickly (a slow one delays the next event, never the
 * training). An exception thrown by a listener is logged and the listener is called no more;
 * the fit goes on.
 *
 * <pre>{@code
 * new PSTrainer().setMaxEpochs(5)
 *     .addListener(new TrainingListener() {
 *       public void progressed(TrainingProgress p) {
 *         if (p.epochEnded()) {
 *           System.out.printf("epoch %d loss %.4f%n", p.epoch(), p.loss());
 *         }
 *       }
 *     })
 *     .fit(training);
 * }</pre>
 */
public interface TrainingListener {

  /** The fit has created its params and is about to run its first step. */
  default void fitStarted(TrainingStart start) {}

  /**
   * Progress: once at the end of every epoch ({@link TrainingProgress#epochEnded()}), and, in
   * epochs that last longer than spark.ps.progress.interval, at that interval in between.
   */
  default void progressed(TrainingProgress progress) {}

  /** The fit has ended and returns a model with this summary. */
  default void fitEnded(TrainingSummary summary) {}
}
