package io.sparkps.cluster;

import io.sparkps.config.PsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts servers as child processes of this JVM (the driver), advertising {@code host} and
 * listening on {@code bindAddress}. Each exits with this JVM ({@code --parent-pid}); their logs
 * are in a temporary folder removed by {@link #close()}.
 */
public final class LocalServers implements ServerStarter {
  private static final Logger LOG = LoggerFactory.getLogger(LocalServers.class);

  private final String host;
  private final String bindAddress;
  private final Path workDir;
  private final ServerLauncher launcher;
  private final Map<Integer, Process> processes = new ConcurrentHashMap<>();

  /** Servers advertising {@code host} and listening on {@code bindAddress}. */
  public LocalServers(String host, String bindAddress) {
    this.host = host;
    this.bindAddress = bindAddress;
    try {
      this.workDir = Files.createTempDirectory("spark-ps-");
    } catch (IOException e) {
      throw new PsException("could not create a folder for the parameter servers' logs: " + e,
          e);
    }
    this.launcher = new ServerLauncher(workDir);
  }

  @Override
  public Started start(int id, int port, Spec spec) throws IOException {
    List<String> args = new ArrayList<>(List.of("--id", Integer.toString(id),
        "--port", Integer.toString(port), "--host", host, "--bind", bindAddress,
        "--parent-pid", Long.toString(ProcessHandle.current().pid())));
    args.addAll(spec.args());
    Process p = launcher.launch(id, args, spec.memory(), spec.javaOptions(), spec.secretHex(),
        spec.hadoopConf());
    processes.put(id, p);
    return new Started(id, p.onExit().thenApply(Process::exitValue),
        "pid " + p.pid() + " on this host");
  }

  @Override
  public String tail(int id, int lines) {
    return launcher.tail(id, lines);
  }

  @Override
  public String logs() {
    return workDir.toString();
  }

  /** Process ids of every server this starter started, running or not. */
  public List<Long> pids() {
    return processes.values().stream().map(Process::pid).toList();
  }

  @Override
  public void close() {
    for (Process p : processes.values()) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          LOG.warn("Server process {} did not stop when asked; killing it", p.pid());
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    ServerLauncher.deleteTree(workDir);
  }
}
