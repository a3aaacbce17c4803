package io.sparkps.spark;

import java.io.Serializable;

/**
 * Where a running fit stands, as {@link TrainingListener#progressed} hears it.
 *
 * @param epoch the epoch under way, or the one that just ended, counted from 1
 * @param maxEpochs epochs the fit runs at most
 * @param epochEnded whether every worker has finished {@code epoch}
 * @param examples examples trained on so far in the fit, over all workers (each counted once
 *     per epoch it was used in)
 * @param loss mean training loss over the steps of {@code epoch} reported so far
 * @param examplesPerSecond examples per second of training so far
 * @param elapsedSeconds seconds since the first step
 * @param etaSeconds estimated seconds until the last epoch ends, from the pace so far; NaN
 *     before there is a pace
 * @param validationLoss with a validation set, the mean loss on it at the end of {@code
 *     epoch}; NaN otherwise (and between epoch ends)
 * @param validationMetric the name of the second validation figure: {@code "areaUnderROC"}
 *     for binary models, {@code "accuracy"} for multi-class ones, {@code "rmse"} for
 *     regression; null without a validation set
 * @param validationValue that figure's value at the end of {@code epoch}; NaN otherwise
 */
public record TrainingProgress(int epoch, int maxEpochs, boolean epochEnded, long examples,
    double loss, double examplesPerSecond, double elapsedSeconds, double etaSeconds,
    double validationLoss, String validationMetric, double validationValue)
    implements Serializable {}
