package io.sparkps.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for the benchmarks: {@code local[N]} (one JVM), or {@code
 * local-cluster[N,1,MB]}, a standalone master and N workers inside this JVM with each executor
 * in a JVM of its own, so that driver and executor memory can be told apart.
 *
 * <p>Executors of a local cluster take their jars from {@code $SPARK_HOME/jars}, which this
 * class fills with links to this JVM's classpath jars (bin/bench and the Surefire configuration
 * set SPARK_HOME to a folder under {@code target/}); class folders go on {@code
 * spark.executor.extraClassPath}.
 */
public final class BenchSpark {
  private BenchSpark() {}

  /** A {@code local[cores]} session on the loopback interface. */
  public static SparkSession local(String appName, int cores) {
    return base(appName).master("local[" + cores + "]").getOrCreate();
  }

  /** A {@code local-cluster[executors,1,executorMb]} session; needs SPARK_HOME. */
  public static SparkSession localCluster(String appName, int executors, int executorMb) {
    String sparkHome = System.getenv("SPARK_HOME");
    if (sparkHome == null) {
      throw new IllegalStateException("SPARK_HOME must be set for a local-cluster master "
          + "(bin/bench sets it to spark-ps-bench/target/spark-home)");
    }
    List<String> folders = new ArrayList<>();
    try {
      Path jars = Path.of(sparkHome, "jars");
      Files.createDirectories(jars);
      String cp = System.getProperty("surefire.test.class.path",
          System.getProperty("java.class.path"));
      for (String entry : cp.split(File.pathSeparator)) {
        Path p = Path.of(entry);
        if (Files.isDirectory(p)) {
          folders.add(p.toAbsolutePath().toString());
        } else if (entry.endsWith(".jar")) {
          Path link = jars.resolve(p.getFileName());
          if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(link);
          }
          Files.createSymbolicLink(link, p.toAbsolutePath());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return base(appName)
        .master("local-cluster[" + executors + ",1," + executorMb + "]")
        .config("spark.executor.memory", executorMb + "m")
        .config("spark.executor.extraClassPath", String.join(File.pathSeparator, folders))
        .config("spark.executor.extraJavaOptions", Jvm.opens())
        // Executors' memory figures (ExecutorMemory): polled often, reported at heartbeats.
        .config("spark.executor.metrics.pollingInterval", "200ms")
        .config("spark.executor.heartbeatInterval", "2s")
        .getOrCreate();
  }

  private static SparkSession.Builder base(String appName) {
    return SparkSession.builder()
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1");
  }
}
