/**
 * Benchmarks of spark-ps, each a main class run by {@code bin/bench NAME}; BENCHMARKS.md at the
 * repository root holds their latest figures and the commands that produced them. Each has a
 * small version in this module's tests so that it keeps working.
 */
package io.sparkps.bench;
