package io.sparkps.bench.mllib;

import io.sparkps.bench.Jvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process and every process it starts (Spark executors, parameter servers), watched while
 * they run: each one's role, from its command line, and its peak resident set size (VmHWM),
 * sampled until it exits. It remembers every process it saw, so that it can end those still
 * alive even after their parent is gone.
 */
final class ProcessTree implements AutoCloseable {
  private static final Pattern EXECUTOR_ID = Pattern.compile("--executor-id\\s+(\\S+)");

  /** A process of the tree and the largest VmHWM sampled from it. */
  record Peak(long pid, String role, long bytes) {}

  private final ProcessHandle root;
  private final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();
  private final Map<Long, String> roles = new ConcurrentHashMap<>();
  private final Map<Long, Long> peaks = new ConcurrentHashMap<>();
  private final Thread sampler;
  private final Thread shutdownHook;

  private ProcessTree(ProcessHandle root, Duration every) {
    this.root = root;
    sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        sample();
        try {
          Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "process-tree-sampler");
    sampler.setDaemon(true);
    shutdownHook = new Thread(() -> destroyAll(Duration.ZERO));
  }

  /** Starts sampling {@code root}'s tree every {@code every}; ends it on JVM shutdown too. */
  static ProcessTree watch(ProcessHandle root, Duration every) {
    ProcessTree tree = new ProcessTree(root, every);
    Runtime.getRuntime().addShutdownHook(tree.shutdownHook);
    tree.sampler.start();
    return tree;
  }

  private void sample() {
    List<ProcessHandle> now = new ArrayList<>();
    now.add(root);
    root.descendants().forEach(now::add);
    for (ProcessHandle p : now) {
      long pid = p.pid();
      seen.putIfAbsent(pid, p);
      if (roles.getOrDefault(pid, "other").equals("other")) {
        // A child read between fork and exec still shows its parent's command line: a process
        // of the same role as its parent is the parent's child (a shell it runs), not another
        // executor or server.
        String role = p.equals(root) ? "driver" : role(pid);
        String parentRole = p.parent().map(q -> roles.get(q.pid())).orElse(null);
        roles.put(pid, !role.equals("other") && role.equals(parentRole) ? "child" : role);
      }
      long hwm = Jvm.peakRssBytes(pid);
      if (hwm > 0) {
        peaks.merge(pid, hwm, Math::max);
      }
    }
  }

  private static String role(long pid) {
    String cmd;
    try {
      cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "other";
    }
    if (cmd.contains("io.sparkps.server.ServerMain")) {
      return "server";
    }
    if (cmd.contains("CoarseGrainedExecutorBackend")) {
      Matcher m = EXECUTOR_ID.matcher(cmd);
      return m.find() ? "executor " + m.group(1) : "executor";
    }
    return "other";
  }

  /** The processes seen with a role starting with {@code role}, by pid. */
  List<Peak> peaks(String role) {
    return peaks.entrySet().stream()
        .filter(e -> roles.getOrDefault(e.getKey(), "").startsWith(role))
        .map(e -> new Peak(e.getKey(), roles.get(e.getKey()), e.getValue()))
        .sorted(Comparator.comparing(Peak::role).thenComparing(Peak::pid))
        .toList();
  }

  /**
   * Asks the root to stop (SIGTERM, so that its shutdown hooks stop its executors and servers),
   * waits up to {@code grace} for every process seen to exit, then kills those still running.
   *
   * @return how many had to be killed
   */
  int destroyAll(Duration grace) {
    root.destroy();
    long deadline = System.nanoTime() + grace.toNanos();
    int killed = 0;
    for (ProcessHandle p : seen.values()) {
      while (p.isAlive() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (p.isAlive()) {
        killed++;
        p.destroyForcibly();
      }
    }
    return killed;
  }

  /** Stops sampling after one last sample; the processes are left as they are. */
  @Override
  public void close() {
    sampler.interrupt();
    try {
      sampler.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sample();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; the hook is running or has run.
    }
  }
}
