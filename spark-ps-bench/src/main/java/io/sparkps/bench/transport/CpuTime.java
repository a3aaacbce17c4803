package io.sparkps.bench.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used, all threads, user and system, from {@code /proc/PID/stat} (in
 * clock ticks of 10 ms). Unlike elapsed time it does not grow when other processes take the
 * cores, so it compares two paths fairly on a busy machine.
 */
final class CpuTime {
  private static final double MS_PER_TICK = 10;

  private CpuTime() {}

  /** Milliseconds of CPU used so far by process {@code pid}. */
  static double ms(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the CPU time of process " + pid, e);
    }
  }
}
