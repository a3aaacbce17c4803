package io.sparkps.spark;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Holds ND4J's native threads (OpenBLAS and its own OpenMP loops) to the cores Spark gave a
 * worker task ({@code spark.task.cpus}) while any worker task of the process runs, and gives
 * the previous counts back when the last one ends.
 *
 * <p>ND4J starts with as many threads as the machine has cores, per process. Workers of one
 * executor all compute at once, so that default puts several times more busy threads than
 * cores on the machine, and OpenBLAS's threads spin at every barrier waiting for ones that are
 * not running: a 32 x 784 by 784 x 128 product took ten times longer on two contended cores
 * with two threads than with one. The setting belongs to the process, hence the count of
 * holders kept here beside it: concurrent tasks share one limit, and the first one's view of
 * the previous counts is the one restored.
 */
final class Nd4jThreads implements AutoCloseable {
  private static final Object LOCK = new Object();
  /** Open holders in this process; guarded by LOCK, like the saved counts. */
  private static int holders;
  private static int savedBlas;
  private static int savedMaster;
  private static int savedMax;

  private Nd4jThreads() {}

  /** Limits ND4J to {@code threads} native threads until every holder is closed. */
  static Nd4jThreads limit(int threads) {
    int n = Math.max(1, threads);
    synchronized (LOCK) {
      if (holders++ == 0) {
        Environment env = Nd4j.getEnvironment();
        savedBlas = Nd4j.factory().blas().getMaxThreads();
        savedMaster = env.maxMasterThreads();
        savedMax = env.maxThreads();
      }
      set(n, n, n);
    }
    return new Nd4jThreads();
  }

  private static void set(int blas, int master, int max) {
    Nd4j.factory().blas().setMaxThreads(blas);
    Nd4j.getEnvironment().setMaxThreads(max);
    Nd4j.getEnvironment().setMaxMasterThreads(master);
  }

  @Override
  public void close() {
    synchronized (LOCK) {
      if (--holders == 0) {
        set(savedBlas, savedMaster, savedMax);
      }
    }
  }
}
