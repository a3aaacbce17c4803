package io.sparkps.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hosts on one switch, each a Linux network namespace: {@code sps-PID-RAND-ROLE} for each role
 * (e.g. drv, w1, w2), wired by veth pairs to a bridge in one more namespace, {@code
 * sps-PID-RAND-sw}. PID is this JVM's, RAND four random hex digits. Each host has {@code lo} and
 * one interface, {@code spsRAND-ROLE}, with an address of {@code 10.213.X.0/24} (X random; the
 * hosts get .1, .2, ... in order) and no route out. The root namespace gets no interface,
 * address or route: the veths are made inside the switch's namespace with their peers inside
 * the hosts', and {@link #create} checks that the root namespace shows none of it.
 *
 * <p>Bytes between two hosts cross both hosts' interfaces, so {@link #bytes()} tells how much
 * traffic each host carried. {@link #close()} sends SIGTERM to every process in the
 * namespaces, SIGKILL to those left after 5 s, and deletes the namespaces, which removes the
 * veths and the bridge.
 */
final class NetnsNetwork implements AutoCloseable {
  /** One host: its role, namespace, address and interface. */
  record Host(String role, Netns ns, String address, String iface) {}

  private static final Pattern OURS = Pattern.compile("sps-(\\d+)-[0-9a-f]{4}-\\w+");

  private final String rand;
  private final String subnet;
  private final String prefix;
  private final List<Netns> namespaces = new ArrayList<>();
  private final List<Host> hosts = new ArrayList<>();
  private boolean closed;

  private NetnsNetwork() {
    SecureRandom random = new SecureRandom();
    rand = String.format("%04x", random.nextInt(1 << 16));
    subnet = "10.213." + (1 + random.nextInt(254)) + ".";
    prefix = "sps-" + ProcessHandle.current().pid() + "-" + rand + "-";
  }

  /**
   * Builds hosts of {@code roles} (at most 11 characters each) on a switch; removes the
   * namespaces of earlier runs whose JVM has gone and that hold no process.
   *
   * @throws IllegalStateException when not root, without {@code ip netns}, or when a step
   *     fails; what was made so far is removed first
   */
  static NetnsNetwork create(List<String> roles) {
    requireRootAndIpNetns();
    removeStaleNamespaces();
    NetnsNetwork net = new NetnsNetwork();
    try {
      net.build(roles);
      net.checkRootNamespaceUntouched();
      return net;
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  List<Host> hosts() {
    return hosts;
  }

  /** The first three octets of the hosts' addresses, with the trailing dot. */
  String subnet() {
    return subnet;
  }

  /** Bytes received plus sent so far by each host's interface, by role. */
  Map<String, Long> bytes() {
    Map<String, Long> out = new LinkedHashMap<>();
    hosts.forEach(h -> out.put(h.role(), h.ns().bytes(h.iface())));
    return out;
  }

  /** Every process on the hosts now, as "pid role command line". */
  List<String> processes() {
    List<String> out = new ArrayList<>();
    for (Host h : hosts) {
      for (long pid : h.ns().pids()) {
        out.add(pid + " " + h.role() + " " + commandLine(pid));
      }
    }
    return out;
  }

  /**
   * What is left on the machine after {@link #close()}: namespaces, root-namespace interfaces,
   * addresses or routes of this network, and processes whose command line has its subnet.
   */
  List<String> leftovers() {
    List<String> out = new ArrayList<>();
    Netns.list().stream().filter(n -> n.startsWith(prefix)).forEach(n -> out.add("netns " + n));
    out.addAll(rootMentions());
    allProcesses().forEach((pid, cmd) -> {
      if (cmd.contains(subnet)) {
        out.add("process " + pid + " " + cmd);
      }
    });
    return out;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RuntimeException> problems = new ArrayList<>();
    try {
      stopProcesses(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      problems.add(e);
    }
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      try {
        namespaces.get(i).delete();
      } catch (RuntimeException e) {
        problems.add(e);
      }
    }
    if (!problems.isEmpty()) {
      IllegalStateException e = new IllegalStateException("removing " + namespaces
          + " was incomplete");
      problems.forEach(e::addSuppressed);
      throw e;
    }
  }

  private static void requireRootAndIpNetns() {
    String uid = Netns.run(List.of("id", "-u")).trim();
    if (!uid.equals("0")) {
      throw new IllegalStateException("NetnsNetwork creates network namespaces and needs root;"
          + " this JVM runs as uid " + uid + " (CI runs the tests as root)");
    }
    try {
      Netns.list();
    } catch (RuntimeException e) {
      throw new IllegalStateException("NetnsNetwork needs `ip netns` of iproute2 (.ci/run "
          + "installs it when `ip` is missing): " + e.getMessage(), e);
    }
  }

  /** Namespaces of an earlier run whose JVM is gone and that hold no process any more. */
  private static void removeStaleNamespaces() {
    for (String name : Netns.list()) {
      Matcher m = OURS.matcher(name);
      if (!m.matches() || ProcessHandle.of(Long.parseLong(m.group(1))).isPresent()) {
        continue;
      }
      Netns ns = Netns.existing(name);
      List<Long> pids = ns.pids();
      if (pids.isEmpty()) {
        ns.delete();
        System.err.println("NetnsNetwork: removed stale network namespace " + name);
      } else {
        System.err.println("NetnsNetwork: left stale network namespace " + name
            + " alone, it still holds processes " + pids);
      }
    }
  }

  private void build(List<String> roles) {
    Netns sw = Netns.create(prefix + "sw");
    namespaces.add(sw);
    String bridge = "sps" + rand + "-br";
    sw.ip("link", "add", bridge, "type", "bridge");
    sw.ip("link", "set", bridge, "up");
    for (String role : roles) {
      Netns ns = Netns.create(prefix + role);
      namespaces.add(ns);
      String port = "sps" + rand + "-p" + role;
      String iface = "sps" + rand + "-" + role;
      sw.ip("link", "add", port, "type", "veth", "peer", "name", iface, "netns", ns.name());
      sw.ip("link", "set", port, "master", bridge);
      sw.ip("link", "set", port, "up");
      String address = subnet + (hosts.size() + 1);
      ns.ip("addr", "add", address + "/24", "dev", iface);
      ns.ip("link", "set", iface, "up");
      hosts.add(new Host(role, ns, address, iface));
    }
  }

  private void checkRootNamespaceUntouched() {
    List<String> found = rootMentions();
    if (!found.isEmpty()) {
      throw new IllegalStateException("the root network namespace got part of the network of "
          + namespaces + ": " + found);
    }
    for (Host h : hosts) {
      for (String route : h.ns().ip("route", "show").lines().toList()) {
        if (!route.startsWith(subnet + "0/24 ")) {
          throw new IllegalStateException(h.ns() + " has a route other than its subnet's: "
              + route);
        }
      }
    }
  }

  private List<String> rootMentions() {
    return Stream.of(Netns.rootIp("-o", "link", "show"), Netns.rootIp("-o", "addr", "show"),
            Netns.rootIp("route", "show", "table", "all"))
        .flatMap(String::lines)
        .filter(l -> l.contains("sps" + rand) || l.contains(subnet))
        .map(l -> "root namespace: " + l.trim()).toList();
  }

  /** SIGTERM to every process on the hosts, SIGKILL to those alive after {@code grace}. */
  private void stopProcesses(Duration grace) {
    for (int round = 0; round < 3; round++) {
      List<ProcessHandle> procs = namespaces.stream().flatMap(ns -> ns.pids().stream())
          .flatMap(pid -> ProcessHandle.of(pid).stream()).toList();
      if (procs.isEmpty()) {
        return;
      }
      procs.forEach(round == 0 ? ProcessHandle::destroy : ProcessHandle::destroyForcibly);
      long deadline = System.nanoTime() + grace.toNanos();
      while (procs.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    List<Long> left = namespaces.stream().flatMap(ns -> ns.pids().stream()).toList();
    if (!left.isEmpty()) {
      throw new IllegalStateException("processes " + left + " outlived SIGKILL");
    }
  }

  /** Every process of the machine with its command line, by pid. */
  static Map<Long, String> allProcesses() {
    Map<Long, String> out = new LinkedHashMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+"))
          .map(Long::parseLong).forEach(pid -> out.put(pid, commandLine(pid)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return out;
  }

  private static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException gone) {
      return "";
    }
  }
}
