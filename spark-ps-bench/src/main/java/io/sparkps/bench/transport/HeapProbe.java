package io.sparkps.bench.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM: {@code jcmd PID GC.run} (a full collection), then the used
 * bytes of every generation from {@code jcmd PID GC.heap_info}. What survives a full
 * collection is what the process holds on to; Netty's direct buffers are outside the heap and
 * not counted.
 */
final class HeapProbe {
  private static final Pattern USED = Pattern.compile("\\bused (\\d+)K");
  private static final long TIMEOUT_S = 60;

  private HeapProbe() {}

  /** Bytes used in the heap of {@code pid} after a full collection. */
  static long liveHeapBytes(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    long used = 0;
    int generations = 0;
    for (String line : jcmd(pid, "GC.heap_info")) {
      if (line.contains("generation") || line.contains("garbage-first heap")) {
        Matcher m = USED.matcher(line);
        if (m.find()) {
          used += Long.parseLong(m.group(1)) * 1024;
          generations++;
        }
      }
    }
    if (generations == 0) {
      throw new IOException("jcmd " + pid + " GC.heap_info printed no heap usage");
    }
    return used;
  }

  private static List<String> jcmd(long pid, String command)
      throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Path out = Files.createTempFile("jcmd-", ".txt");
    Process p = new ProcessBuilder(jcmd, Long.toString(pid), command)
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      boolean done = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      if (!done || p.exitValue() != 0) {
        throw new IOException("jcmd " + pid + " " + command + " failed"
            + (done ? "" : " to finish within " + TIMEOUT_S + " s") + ": " + lines);
      }
      return lines;
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(out);
    }
  }
}
