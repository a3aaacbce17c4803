package io.sparkps.cluster;

import io.sparkps.config.PsException;
import io.sparkps.server.ServerMain;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Starts server JVMs on this host (the driver's, or an executor's) with a small classpath — spark-ps, Netty, SLF4J, a logging
 * backend and Hadoop's client for checkpoints, no Spark — and hands each the secret and the
 * application's Hadoop configuration (which may hold credentials) on its standard input, never
 * on the command line.
 */
public final class ServerLauncher {
  /** Classes whose jars (or class folders) make up the server classpath; absent ones are skipped. */
  private static final String[] CLASSPATH_MARKERS = {
      "io.netty.buffer.ByteBuf",
      "io.netty.util.concurrent.Future",
      "io.netty.channel.Channel",
      "io.netty.channel.nio.NioIoHandler",
      "io.netty.handler.codec.ByteToMessageDecoder",
      "io.netty.handler.flush.FlushConsolidationHandler",
      "io.netty.resolver.AddressResolver",
      "org.slf4j.Logger",
      "org.apache.logging.slf4j.SLF4JServiceProvider",
      "org.apache.logging.log4j.LogManager",
      "org.apache.logging.log4j.core.Logger",
      // Checkpoints: Hadoop's client (API and shaded runtime), and the connectors the
      // application has, so that servers write wherever the application can.
      "org.apache.hadoop.fs.FileSystem",
      "org.apache.hadoop.shaded.com.google.re2j.Pattern",
      "org.apache.commons.logging.Log",
      "org.apache.hadoop.fs.s3a.S3AFileSystem",
      "software.amazon.awssdk.core.SdkBytes",
      "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem",
      "org.apache.hadoop.fs.azurebfs.AzureBlobFileSystem",
  };

  private final Path workDir;
  private final String javaHome;

  /** A launcher whose servers write their logs into {@code workDir}. */
  public ServerLauncher(Path workDir) {
    this.workDir = workDir;
    this.javaHome = System.getProperty("java.home");
  }

  /** The classpath of a server JVM: where each marker class was loaded from in this JVM. */
  static String serverClasspath() {
    Set<String> entries = new LinkedHashSet<>();
    entries.add(locationOf(ServerMain.class));
    for (String name : CLASSPATH_MARKERS) {
      try {
        entries.add(locationOf(Class.forName(name, false, ServerLauncher.class.getClassLoader())));
      } catch (ClassNotFoundException | NoClassDefFoundError e) {
        // Optional pieces (a logging backend) may be absent; Netty and SLF4J never are here.
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String locationOf(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new PsException("cannot tell where " + c.getName() + " was loaded from, so cannot "
          + "build the parameter server classpath", e);
    }
  }

  /**
   * Starts server {@code id}; its output goes to {@link #logFile(int)}. Its standard input
   * gets the secret, then {@code hadoopConf} in Base64 when not null.
   */
  public Process launch(int id, List<String> serverArgs, String memory, List<String> javaOptions,
      String secretHex, byte[] hadoopConf) throws IOException {
    Path log4j = workDir.resolve("log4j2-server.properties");
    if (!Files.exists(log4j)) {
      Files.writeString(log4j, String.join("\n",
          "rootLogger.level = info",
          "rootLogger.appenderRef.stderr.ref = console",
          "appender.console.type = Console",
          "appender.console.name = console",
          "appender.console.target = SYSTEM_ERR",
          "appender.console.layout.type = PatternLayout",
          "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex",
          ""));
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(javaHome, "bin", "java").toString());
    cmd.add("-Xmx" + memory);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dlog4j2.configurationFile=" + log4j.toUri());
    cmd.addAll(javaOptions);
    cmd.add("-cp");
    cmd.add(serverClasspath());
    cmd.add(ServerMain.class.getName());
    cmd.addAll(serverArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(logFile(id).toFile());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write((secretHex + "\n").getBytes(StandardCharsets.UTF_8));
      if (hadoopConf != null) {
        in.write(java.util.Base64.getEncoder().encode(hadoopConf));
        in.write('\n');
      }
    }
    return p;
  }

  public Path logFile(int id) {
    return workDir.resolve("server-" + id + ".log");
  }

  /** The last lines of a server's log, for error messages. */
  public String tail(int id, int lines) {
    try {
      List<String> all = Files.readAllLines(logFile(id), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Deletes {@code dir} and everything in it, as far as it can. */
  public static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Already gone, or not ours to delete: nothing more to do.
    }
  }
}
