package io.sparkps.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * A {@code local-cluster[2,1,2048]} session: a standalone master and two workers inside this
 * JVM, each running its executor in a JVM of its own. Executors take Spark and the other
 * dependencies from {@code $SPARK_HOME/jars}, which this class fills with links to the test
 * classpath's jars; the library's own classes go on {@code spark.executor.extraClassPath}.
 */
public final class LocalClusterSpark {
  private LocalClusterSpark() {}

  public static SparkSession start(String appName) {
    return start(appName, java.util.Map.of());
  }

  /**
   * Fills {@code $SPARK_HOME/jars} with links to the test classpath's jars, from which
   * standalone workers start executors, and returns the folders of the classpath (the
   * library's own classes), for {@code spark.executor.extraClassPath}.
   */
  public static String executorClassPath() {
    String sparkHome = System.getenv("SPARK_HOME");
    if (sparkHome == null) {
      throw new IllegalStateException("SPARK_HOME must be set (the surefire configuration does)");
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
          if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, p.toAbsolutePath());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return String.join(File.pathSeparator, folders);
  }

  /** The same, with {@code extra} Spark settings (read when the SparkContext starts). */
  public static SparkSession start(String appName, java.util.Map<String, String> extra) {
    return start(appName, "local-cluster[2,1,2048]", extra);
  }

  /** The same on {@code master}, a {@code local-cluster[workers,cores,memory]} URL. */
  public static SparkSession start(String appName, String master,
      java.util.Map<String, String> extra) {
    String folders = executorClassPath();
    SparkSession.Builder builder = SparkSession.builder();
    extra.forEach(builder::config);
    return builder
        .master(master)
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.extraClassPath", folders)
        .config("spark.executor.extraJavaOptions", System.getProperty("sparkps.test.jvmOpens", ""))
        .config("spark.ps.server.memory", "256m")
        .getOrCreate();
  }
}
