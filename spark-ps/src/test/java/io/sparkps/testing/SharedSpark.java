package io.sparkps.testing;

import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} SparkSession for all tests of a JVM, stopped when the JVM exits (which
 * also stops its parameter servers).
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (session == null || session.sparkContext().isStopped()) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("spark-ps-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.ps.server.memory", "256m")
          .config("spark.ps.lease", "3s")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (!session.sparkContext().isStopped()) {
          session.stop();
        }
      }));
    }
    return session;
  }
}
