package io.sparkps.spark;

import io.sparkps.cluster.LocalServers;
import io.sparkps.cluster.PsCluster;
import io.sparkps.config.Addresses;
import io.sparkps.config.ConfigKey;
import io.sparkps.config.InvalidConfigException;
import io.sparkps.config.PsConf;
import java.net.URI;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * Where an application's separate servers and its coordinator run, and the addresses they
 * listen on and advertise, resolved from the settings and checked before anything starts.
 *
 * <p>Advertised addresses are what other processes connect to: a wildcard never is one, and
 * a loopback address reaches only its own host, so under a cluster master it is refused unless
 * the whole cluster runs on this host's loopback addresses (a test cluster). Bind addresses
 * may be anything the host has, 0.0.0.0 included.
 *
 * @param onExecutors servers on the executors' hosts (else on the driver's)
 * @param coordinatorHost the coordinator's advertised address
 * @param coordinatorBind the address the coordinator listens on
 * @param serverHost servers' advertised address on the driver's host; empty on executors
 *     (each advertises its executor's host)
 * @param serverBind the address servers listen on; empty: their advertised one
 * @param why why the servers are where they are, for the log
 */
record ServerPlacement(boolean onExecutors, String coordinatorHost, String coordinatorBind,
    String serverHost, String serverBind, String why) {

  /** Same place and addresses; {@code why} aside. */
  boolean sameAs(ServerPlacement o) {
    return o != null && onExecutors == o.onExecutors && coordinatorHost.equals(o.coordinatorHost)
        && coordinatorBind.equals(o.coordinatorBind) && serverHost.equals(o.serverHost)
        && serverBind.equals(o.serverBind);
  }

  /**
   * Resolves where {@code numServers} servers go for {@code workers} workers of a fit.
   *
   * @throws InvalidConfigException naming the setting to change
   */
  static ServerPlacement resolve(SparkContext sc, PsConf conf, int workers, int numServers) {
    SparkConf spark = sc.getConf();
    boolean local = isLocal(sc);
    String coordinatorHost = conf.get(PsConf.COORDINATOR_HOST);
    if (coordinatorHost.isEmpty()) {
      coordinatorHost = local ? "127.0.0.1" : spark.get("spark.driver.host", "127.0.0.1");
    }
    checkAdvertised(sc, PsConf.COORDINATOR_HOST, coordinatorHost, PsConf.COORDINATOR_BIND_ADDRESS,
        local);
    String coordinatorBind = conf.get(PsConf.COORDINATOR_BIND_ADDRESS);
    if (coordinatorBind.isEmpty()) {
      coordinatorBind = local ? coordinatorHost
          : spark.get("spark.driver.bindAddress", coordinatorHost);
    }
    String serverBind = conf.get(PsConf.SERVER_BIND_ADDRESS);
    String placement = conf.get(PsConf.SERVER_PLACEMENT);
    String why;
    boolean onExecutors;
    if (placement.equals("auto")) {
      int slots = slots(sc);
      if (local) {
        onExecutors = false;
        why = "a local master: " + PsConf.SERVER_PLACEMENT.key() + "=auto keeps them on the "
            + "driver's host";
      } else if (dynamicAllocation(spark)) {
        onExecutors = true;
        why = "dynamic allocation gives them executors of their own";
      } else if (slots >= workers + numServers) {
        onExecutors = true;
        why = "the cluster's " + slots + " task slots hold the " + workers + " workers and the "
            + numServers + " servers";
      } else {
        onExecutors = false;
        why = "the cluster's " + slots + " task slots do not hold the " + workers
            + " workers and " + numServers + " servers beside them; with more executor cores,"
            + " or " + PsConf.SERVER_PLACEMENT.key() + "=executors, they run on the executors'"
            + " hosts";
      }
    } else {
      onExecutors = placement.equals("executors");
      why = PsConf.SERVER_PLACEMENT.key() + "=" + placement;
    }
    String serverHost = conf.get(PsConf.SERVER_HOST);
    if (onExecutors) {
      if (!serverHost.isEmpty()) {
        throw new InvalidConfigException(PsConf.SERVER_HOST.key(), PsConf.SERVER_HOST.key()
            + "=" + serverHost + " is the address of servers on the driver's host, but they"
            + " run on executors (" + why + "), each advertising its executor's host: unset "
            + PsConf.SERVER_HOST.key() + " (" + PsConf.SERVER_BIND_ADDRESS.key()
            + " sets the address they listen on), or set " + PsConf.SERVER_PLACEMENT.key()
            + "=driver");
      }
    } else {
      if (serverHost.isEmpty()) {
        serverHost = coordinatorHost;
      }
      checkAdvertised(sc, PsConf.SERVER_HOST, serverHost, PsConf.SERVER_BIND_ADDRESS, local);
      if (serverBind.isEmpty()) {
        serverBind = serverHost;
      }
    }
    return new ServerPlacement(onExecutors, coordinatorHost, coordinatorBind, serverHost,
        serverBind, why);
  }

  /** What starts the servers: processes of the driver, or a Spark job per server. */
  PsCluster.Placement start(SparkContext sc, PsConf conf) {
    return new PsCluster.Placement(coordinatorHost, coordinatorBind, onExecutors
        ? new ExecutorServers(sc, conf, serverBind, dynamicAllocation(sc.getConf()))
        : new LocalServers(serverHost, serverBind));
  }

  /** Describes where the servers run, for the log. */
  String describe() {
    return (onExecutors ? "on executors" : "on the driver's host (" + serverHost + ")") + ", "
        + why;
  }

  static boolean isLocal(SparkContext sc) {
    return sc.isLocal() || sc.master().startsWith("local-cluster");
  }

  /** Whether dynamic allocation is on: set, and not a local master (where Spark ignores it). */
  static boolean dynamicAllocation(SparkConf spark) {
    String master = spark.get("spark.master", "");
    boolean local = master.equals("local") || master.startsWith("local[");
    return !local && spark.getBoolean("spark.dynamicAllocation.enabled", false);
  }

  /** Task slots of the executors there are now. */
  static int slots(SparkContext sc) {
    return sc.defaultParallelism() / sc.getConf().getInt("spark.task.cpus", 1);
  }

  private static void checkAdvertised(SparkContext sc, ConfigKey<String> key, String host,
      ConfigKey<String> bindKey, boolean local) {
    if (Addresses.isWildcard(host)) {
      throw new InvalidConfigException(key.key(), key.key() + "=" + host + " is a wildcard, "
          + "but it is the address other processes connect to: set " + key.key() + " to this "
          + "host's routable address, and " + bindKey.key() + "=" + host + " to listen on "
          + "every interface");
    }
    if (!local && Addresses.isLoopback(host) && !allOnLoopback(sc)) {
      throw new InvalidConfigException(key.key(), key.key() + "=" + host + " is a loopback "
          + "address, which executors on other hosts cannot reach (master " + sc.master()
          + "): set " + key.key() + " to this host's routable address (or spark.driver.host,"
          + " which it follows), and " + bindKey.key() + " if it must listen elsewhere");
    }
  }

  /** A cluster all on this host's loopback addresses: its master and every executor. */
  private static boolean allOnLoopback(SparkContext sc) {
    String master = sc.master();
    if (!master.startsWith("spark://")) {
      return false;
    }
    for (String m : master.substring("spark://".length()).split(",")) {
      String host = URI.create("spark://" + m).getHost();
      if (host == null || !Addresses.isLoopback(host)) {
        return false;
      }
    }
    List<String> hosts = java.util.Arrays.stream(sc.statusTracker().getExecutorInfos())
        .map(e -> e.host()).toList();
    return hosts.stream().allMatch(Addresses::isLoopback);
  }
}
