/**
 * spark-ps against Spark MLlib's {@code LogisticRegression}: time to a target test AUC on a9a
 * ({@link io.sparkps.bench.mllib.A9aVsMllib}), and time and memory on wide generated CTR data
 * ({@link io.sparkps.bench.mllib.CtrVsMllib}).
 */
package io.sparkps.bench.mllib;
