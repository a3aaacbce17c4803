package io.sparkps.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Child JVMs on this JVM's classpath, and what the kernel says about a process's memory. */
public final class Jvm {
  private Jvm() {}

  /** The {@code --add-opens} options Spark and ND4J need (from bin/bench or Surefire). */
  public static String opens() {
    return System.getProperty("sparkps.jvmOpens", "");
  }

  /**
   * Starts {@code mainClass} in a new JVM with this JVM's classpath, the given heap and the
   * {@code --add-opens} options; its output goes to {@code log}.
   */
  public static Process start(Class<?> mainClass, String heap, List<String> jvmOptions,
      List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    if (!opens().isBlank()) {
      cmd.addAll(Arrays.asList(opens().trim().split("\\s+")));
    }
    for (String p : new String[] {"sparkps.data.dir", "sparkps.jvmOpens", "sparkps.root"}) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(mainClass.getName());
    cmd.addAll(args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Peak resident set size of a process in bytes (VmHWM), or -1 once it is gone. */
  public static long peakRssBytes(long pid) {
    long kb = statusKb(pid, "VmHWM:");
    return kb < 0 ? -1 : kb * 1024;
  }

  /** Current resident set size of a process in bytes (VmRSS), or -1 once it is gone. */
  public static long rssBytes(long pid) {
    long kb = statusKb(pid, "VmRSS:");
    return kb < 0 ? -1 : kb * 1024;
  }

  private static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
