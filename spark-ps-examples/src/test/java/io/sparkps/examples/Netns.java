package io.sparkps.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Linux network namespace, driven through iproute2's {@code ip} command: its own
 * interfaces, addresses, routes and ports, while processes, files and users stay the
 * machine's. A process started through {@link #exec} (and everything it starts) lives in the
 * namespace until it exits; {@link #pids()} finds them all, which is how {@link NetnsNetwork}
 * stops them.
 */
final class Netns {
  private final String name;

  private Netns(String name) {
    this.name = name;
  }

  /** Creates namespace {@code name} with its loopback interface up. */
  static Netns create(String name) {
    rootIp("netns", "add", name);
    Netns ns = new Netns(name);
    try {
      ns.ip("link", "set", "lo", "up");
    } catch (RuntimeException e) {
      ns.delete();
      throw e;
    }
    return ns;
  }

  /** A namespace that exists already, e.g. a stale one of a crashed run. */
  static Netns existing(String name) {
    return new Netns(name);
  }

  String name() {
    return name;
  }

  /** Runs {@code ip -n NAME args...} (a command on this namespace's network). */
  String ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("-n", name));
    cmd.addAll(Arrays.asList(args));
    return rootIp(cmd.toArray(String[]::new));
  }

  /** {@code command}, prefixed to run inside this namespace. */
  List<String> exec(List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
    cmd.addAll(command);
    return cmd;
  }

  /** The processes in this namespace now; empty once it has been deleted. */
  List<Long> pids() {
    String out;
    try {
      out = rootIp("netns", "pids", name);
    } catch (IllegalStateException gone) {
      return List.of();
    }
    return out.lines().map(String::trim).filter(l -> !l.isEmpty()).map(Long::valueOf).toList();
  }

  /** Bytes received plus bytes sent by interface {@code iface} of this namespace so far. */
  long bytes(String iface) {
    String dir = "/sys/class/net/" + iface + "/statistics/";
    String out = run(exec(List.of("cat", dir + "rx_bytes", dir + "tx_bytes")));
    return out.lines().map(String::trim).mapToLong(Long::parseLong).sum();
  }

  /** Deletes the namespace, and with it its interfaces (a veth's peer goes too). */
  void delete() {
    rootIp("netns", "del", name);
  }

  /** The names of all named namespaces of the machine. */
  static List<String> list() {
    // Lines read "name" or "name (id: 3)".
    return rootIp("netns", "list").lines().map(l -> l.trim().split("\\s+")[0])
        .filter(s -> !s.isEmpty()).toList();
  }

  /** Runs {@code ip args...} from the root namespace ({@code -n NAME} aims at another). */
  static String rootIp(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(Arrays.asList(args));
    return run(cmd);
  }

  /**
   * Runs {@code command} and returns its standard output.
   *
   * @throws IllegalStateException naming the command, its exit status and its error output,
   *     when it fails or takes over 30 s
   */
  static String run(List<String> command) {
    try {
      Path out = Files.createTempFile("netns-cmd-", ".out");
      Path err = Files.createTempFile("netns-cmd-", ".err");
      try {
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
            .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null"))).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + ": no answer in 30 s");
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", command) + " exited with "
              + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8).trim());
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
