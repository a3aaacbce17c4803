package io.sparkps.server;

import io.netty.channel.Channel;
import io.sparkps.config.Addresses;
import io.sparkps.transport.Register;
import io.sparkps.transport.Secret;
import io.sparkps.transport.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parameter server process. The driver's launcher starts it; on another host an operator
 * can start the same main to join a running cluster ({@code bin/ps-server}, with the command the
 * driver logs). The application secret comes as the first line of standard input, or from the
 * file {@code --secret-file} names, never on the command line; a second line of standard input
 * may hold the Hadoop configuration for checkpoints (Base64 of {@code Configuration.write};
 * without it, Hadoop's defaults).
 *
 * <pre>
 * echo $SECRET | java -cp spark-ps.jar:netty.jar:slf4j-api.jar io.sparkps.server.ServerMain \
 *     --id 0 --coordinator driver-host:port --host this-host [--bind 0.0.0.0] [--port 0] \
 *     [--lease-ms 5000] [--heartbeat-ms 1000] [--timeout-ms 120000] [--max-frame-bytes N] \
 *     [--io-threads 2] [--parent-pid PID] [--crypto-enabled false]
 * bin/ps-server --coordinator driver-host:port --secret-file FILE --host this-host [...]
 * </pre>
 *
 * Without {@code --id} the server joins a running cluster: the coordinator gives it an id and,
 * by moving slices to it, a share of the bytes.
 *
 * {@code --host} is the address it advertises: the one workers and other servers connect to,
 * so never a wildcard. {@code --bind} is the address it listens on (default: {@code --host}),
 * e.g. 0.0.0.0 behind NAT or in a container whose routable address is not its own. With
 * {@code --parent-pid} it exits as soon as that process (the JVM that launched it) is gone.
 *
 * {@code --crypto-enabled true} encrypts every connection (spark.ps.crypto.enabled); it must
 * match the driver's setting, or the coordinator and the clients are refused.
 *
 * It exits with status 0 when the coordinator tells it to stop, 3 when the coordinator has
 * been unreachable for longer than the lease, 4 when its parent process is gone, and 5 when the
 * coordinator refused a joining server (a wrong secret).
 */
public final class ServerMain {
  private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);
  static final int EXIT_LEASE_EXPIRED = 3;
  static final int EXIT_PARENT_GONE = 4;
  static final int EXIT_REFUSED = 5;

  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    int id = opts.containsKey("id") ? Integer.parseInt(opts.get("id")) : -1;
    if (opts.containsKey("id") && id < 0) {
      throw new IllegalArgumentException("--id must be >= 0, got " + id + "; leave it out to join"
          + " a running cluster");
    }
    String[] coord = required(opts, "coordinator").split(":");
    String host = opts.getOrDefault("host", "127.0.0.1");
    if (Addresses.isWildcard(host)) {
      throw new IllegalArgumentException("--host " + host + " is the address clients connect "
          + "to and cannot be a wildcard: give this host's routable address, and --bind "
          + host + " to listen on every interface");
    }
    String bind = opts.getOrDefault("bind", host);
    int port = Integer.parseInt(opts.getOrDefault("port", "0"));
    long leaseMs = Long.parseLong(opts.getOrDefault("lease-ms", "5000"));
    long heartbeatMs = Long.parseLong(opts.getOrDefault("heartbeat-ms", "1000"));
    long timeoutMs = Long.parseLong(opts.getOrDefault("timeout-ms", "120000"));
    int maxFrame = Integer.parseInt(opts.getOrDefault("max-frame-bytes", "268435456"));
    int ioThreads = Integer.parseInt(opts.getOrDefault("io-threads", "2"));
    String crypto = opts.getOrDefault("crypto-enabled", "false");
    if (!crypto.equals("true") && !crypto.equals("false")) {
      throw new IllegalArgumentException("--crypto-enabled must be true or false, got " + crypto);
    }
    boolean encrypt = crypto.equals("true");

    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    Secret secret;
    String hadoopConf = null;
    if (opts.containsKey("secret-file")) {
      secret = readSecretFile(java.nio.file.Path.of(opts.get("secret-file")));
    } else {
      secret = readSecret(stdin);
      hadoopConf = stdin.readLine();
    }
    Transport transport = new Transport("ps-server-" + (id < 0 ? "joining" : id), secret, ioThreads, maxFrame, timeoutMs,
        encrypt);
    ParamServer server = new ParamServer(timeoutMs, java.util.concurrent.Executors
        .newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "ps-server-timer");
          t.setDaemon(true);
          return t;
        }), address -> transport.connect(address, m -> { }).thenApply(c -> c),
        CheckpointIo.hadoop(hadoopConf == null || hadoopConf.isBlank() ? null
            : java.util.Base64.getDecoder().decode(hadoopConf.trim())));
    Channel listening = transport.listen(bind, port, server);
    int boundPort = ((InetSocketAddress) listening.localAddress()).getPort();
    long pid = ProcessHandle.current().pid();
    LOG.info("Server {} listening on {}:{}, advertised as {}:{} (pid {})", id < 0 ? "(joining)"
        : id, bind, boundPort, host, boundPort, pid);
    if (opts.containsKey("parent-pid")) {
      String parent = opts.get("parent-pid");
      if (!parent.matches("[1-9][0-9]{0,18}")) {
        throw new IllegalArgumentException("--parent-pid must be a process id, got " + parent);
      }
      exitWithParent(id, Long.parseLong(parent));
    }

    CountDownLatch stop = new CountDownLatch(1);
    int[] exitCode = {0};
    LeaseKeeper lease = new LeaseKeeper(transport,
        new InetSocketAddress(coord[0], Integer.parseInt(coord[1])),
        new Register(0, id, host, boundPort, pid), leaseMs, heartbeatMs, System::currentTimeMillis,
        () -> {
          exitCode[0] = EXIT_LEASE_EXPIRED;
          stop.countDown();
        },
        stop::countDown);
    lease.onRefused(why -> {
      exitCode[0] = EXIT_REFUSED;
      stop.countDown();
    });
    boolean[] fenced = {false};
    lease.onFenced(() -> {
      synchronized (fenced) {
        if (!fenced[0]) {
          fenced[0] = true;
          LOG.warn("The coordinator declared server {} lost while it could not hear it (a pause?)"
              + " and gave its slices to other servers: dropping all {} slices and idling until"
              + " told to stop", lease.serverId(), server.numSlices());
        }
      }
      server.dropAll();
    });
    stop.await();
    lease.close();
    server.closeLinks();
    listening.close();
    transport.close();
    LOG.info("Server {} stopped", lease.serverId());
    System.exit(exitCode[0]);
  }

  /** Exits at once when the JVM that launched this server is gone (killed with its executor). */
  private static void exitWithParent(int id, long parentPid) {
    java.util.Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    if (parent.isEmpty()) {
      LOG.error("Server {}: parent process {} is already gone; exiting", id, parentPid);
      System.exit(EXIT_PARENT_GONE);
    }
    parent.get().onExit().thenRun(() -> {
      LOG.warn("Server {}: parent process {} is gone; exiting", id, parentPid);
      Runtime.getRuntime().halt(EXIT_PARENT_GONE);
    });
  }

  private static Secret readSecret(BufferedReader in) throws IOException {
    String line = in.readLine();
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException(
          "expected the application secret (hex) as the first line of standard input");
    }
    return Secret.fromHex(line);
  }

  /**
   * Reads the secret from the first line of {@code file}, which should be readable by this user
   * only (a warning says so otherwise).
   */
  static Secret readSecretFile(java.nio.file.Path file) throws IOException {
    if (!java.nio.file.Files.isReadable(file)) {
      throw new IllegalArgumentException("--secret-file " + file + " does not exist or cannot be "
          + "read; copy the file the driver's log names (it holds the application secret)");
    }
    try {
      java.util.Set<java.nio.file.attribute.PosixFilePermission> perms =
          java.nio.file.Files.getPosixFilePermissions(file);
      if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP")
          || p.name().startsWith("OTHERS"))) {
        LOG.warn("--secret-file {} can be read by other users ({}): chmod 600 it",
            file, java.nio.file.attribute.PosixFilePermissions.toString(perms));
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to check.
    }
    try (BufferedReader in = java.nio.file.Files.newBufferedReader(file,
        StandardCharsets.UTF_8)) {
      return readSecret(in);
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got: " + args[i]);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return v;
  }
}
