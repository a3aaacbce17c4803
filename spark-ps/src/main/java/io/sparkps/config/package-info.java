/**
 * Configuration of spark-ps, checked before anything starts: the cluster topology
 * ({@link io.sparkps.config.ClusterConfig}, with Apache SINGA's fields, rules and the named
 * {@link io.sparkps.config.Framework} presets), the server-side optimizer
 * ({@link io.sparkps.config.OptimizerConfig}), the {@code spark.ps.*} keys
 * ({@link io.sparkps.config.PsConf}) and the exception hierarchy every package throws
 * ({@link io.sparkps.config.PsException}: retriable or fatal, messages that name the setting
 * to change).
 *
 * <p>Plain Java only: parameter servers load this package in a JVM without Spark.
 */
package io.sparkps.config;
