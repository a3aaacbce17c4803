package io.sparkps.spark;

import java.io.Serializable;

/**
 * What a fit is about to train, as {@link TrainingListener#fitStarted} hears it.
 *
 * @param framework the framework's name
 * @param numWorkers workers that train
 * @param numServers servers that hold the params (co-located ones included)
 * @param maxEpochs epochs the fit runs at most
 * @param stepsPerEpoch steps each worker takes per epoch
 * @param examplesPerEpoch training examples of one epoch, over all workers
 * @param params the trainer's params, by name, as strings
 */
public record TrainingStart(String framework, int numWorkers, int numServers, int maxEpochs,
    long stepsPerEpoch, long examplesPerEpoch, java.util.Map<String, String> params)
    implements Serializable {}
