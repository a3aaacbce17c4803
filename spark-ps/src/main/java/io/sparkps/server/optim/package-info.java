/**
 * Server-side update rules (SGD, momentum, AdaGrad, Adam, FTRL-Proximal), applied in place to
 * one slice of parameters with plain float loops, dense or to selected rows. One
 * {@link io.sparkps.server.optim.Optimizer} per slice holds that slice's state; create it
 * with {@link io.sparkps.server.optim.Optimizers#create}. Plain Java: no Spark, Netty or ND4J.
 */
package io.sparkps.server.optim;
