package io.sparkps.config;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The rules behind {@link ClusterConfig#validate()}: single fields first, so that a
 * cross-field message never has to explain a zero. Each message names the field(s), the
 * values seen and what to change.
 *
 * <p>Sources in Apache SINGA (v0.x, {@code apache/singa}):
 * <ul>
 *   <li>{@code Cluster::ExecutorRng} ({@code src/utils/cluster.cc}) places either part of one
 *       group or several whole groups in a process, with
 *       {@code CHECK_EQ(procs_size % grp_size, 0)} for the latter;</li>
 *   <li>{@code Cluster::nworker_procs()} / {@code nserver_procs()}
 *       ({@code include/singa/utils/cluster.h}) divide the total by the per-process count, so
 *       a remainder would silently drop workers or servers;</li>
 *   <li>{@code Cluster::nworker_groups_per_server_group()} and the stub's
 *       {@code gid / nworker_groups_per_server_group()} routing need nServerGroups to divide
 *       nWorkerGroups.</li>
 * </ul>
 */
final class ClusterConfigChecks {

  private ClusterConfigChecks() {
  }

  static void check(ClusterConfig c) {
    atLeast("nWorkerGroups", c.nWorkerGroups(), 1);
    atLeast("nServerGroups", c.nServerGroups(), 1);
    atLeast("nWorkersPerGroup", c.nWorkersPerGroup(), 1);
    atLeast("nServersPerGroup", c.nServersPerGroup(), 1);
    atLeast("nWorkersPerProcess", c.nWorkersPerProcess(), 1);
    atLeast("nServersPerProcess", c.nServersPerProcess(), 1);
    atLeast("syncFreq", c.syncFreq(), 1);
    if (c.staleness() < 0) {
      throw new InvalidConfigException("staleness", "staleness=" + c.staleness()
          + ": must be >= 0 (0 = lock-step, ClusterConfig.UNBOUNDED_STALENESS = asynchronous)");
    }
    long totalWorkers = product("nWorkerGroups", c.nWorkerGroups(), "nWorkersPerGroup",
        c.nWorkersPerGroup());
    long totalServers = product("nServerGroups", c.nServerGroups(), "nServersPerGroup",
        c.nServersPerGroup());

    groupFitsProcesses("Workers", c.nWorkersPerGroup(), c.nWorkersPerProcess());
    groupFitsProcesses("Servers", c.nServersPerGroup(), c.nServersPerProcess());
    wholeProcesses("Worker", c.nWorkerGroups(), c.nWorkersPerGroup(), totalWorkers,
        c.nWorkersPerProcess());
    wholeProcesses("Server", c.nServerGroups(), c.nServersPerGroup(), totalServers,
        c.nServersPerProcess());

    if (c.nWorkerGroups() % c.nServerGroups() != 0) {
      throw new InvalidConfigException("nServerGroups", "nWorkerGroups=" + c.nWorkerGroups()
          + " and nServerGroups=" + c.nServerGroups() + ": nServerGroups must divide"
          + " nWorkerGroups so that every server group serves the same number of worker"
          + " groups; set nServerGroups to one of " + divisors(c.nWorkerGroups())
          + " or change nWorkerGroups to a multiple of " + c.nServerGroups());
    }

    if (!c.serverWorkerSeparate()) {
      checkColocated(c, totalWorkers, totalServers);
    }
  }

  // Co-located servers are hosted by worker executors (spark-ps has no server-only process
  // in that mode, unlike SINGA's max(worker procs, server procs)), so they must fit in them.
  private static void checkColocated(ClusterConfig c, long totalWorkers, long totalServers) {
    if (totalServers > totalWorkers) {
      throw new InvalidConfigException("nServersPerGroup", "serverWorkerSeparate=false with"
          + " nServerGroups*nServersPerGroup=" + c.nServerGroups() + "*" + c.nServersPerGroup()
          + "=" + totalServers + " > nWorkerGroups*nWorkersPerGroup=" + c.nWorkerGroups() + "*"
          + c.nWorkersPerGroup() + "=" + totalWorkers + ": co-located servers live in worker"
          + " executors, at most one per worker; lower nServersPerGroup or nServerGroups, or"
          + " set serverWorkerSeparate=true");
    }
    long workerProcs = totalWorkers / c.nWorkersPerProcess();
    long serverProcs = totalServers / c.nServersPerProcess();
    if (serverProcs > workerProcs) {
      throw new InvalidConfigException("nServersPerProcess", "serverWorkerSeparate=false with "
          + serverProcs + " server processes (" + totalServers + " servers / nServersPerProcess="
          + c.nServersPerProcess() + ") but only " + workerProcs + " worker processes ("
          + totalWorkers + " workers / nWorkersPerProcess=" + c.nWorkersPerProcess()
          + "): every co-located server process must be a worker process; raise"
          + " nServersPerProcess or set serverWorkerSeparate=true");
    }
  }

  private static void atLeast(String field, int value, int min) {
    if (value < min) {
      throw new InvalidConfigException(field, field + "=" + value + ": must be >= " + min);
    }
  }

  private static long product(String f1, int v1, String f2, int v2) {
    long p = (long) v1 * v2;
    if (p > Integer.MAX_VALUE) {
      throw new InvalidConfigException(f2, f1 + "*" + f2 + "=" + v1 + "*" + v2 + "=" + p
          + ": must be <= " + Integer.MAX_VALUE);
    }
    return p;
  }

  // SINGA's ExecutorRng: a process holds a part of one group or several whole groups.
  private static void groupFitsProcesses(String kind, int perGroup, int perProcess) {
    if (perGroup % perProcess != 0 && perProcess % perGroup != 0) {
      String g = "n" + kind + "PerGroup";
      String p = "n" + kind + "PerProcess";
      throw new InvalidConfigException(p, g + "=" + perGroup + " and " + p + "=" + perProcess
          + ": one must divide the other (a process holds part of one group or several whole"
          + " groups); set " + p + " to a divisor of " + perGroup + " such as "
          + divisors(perGroup) + ", or to a multiple of " + perGroup);
    }
  }

  // SINGA's nworker_procs() = total / per-process: a remainder would drop members.
  private static void wholeProcesses(String kind, int groups, int perGroup, long total,
      int perProcess) {
    if (total % perProcess != 0) {
      String gs = "n" + kind + "Groups";
      String p = "n" + kind + "sPerProcess";
      long groupsPerProcess = perProcess / perGroup;
      throw new InvalidConfigException(p, gs + "*n" + kind + "sPerGroup=" + groups + "*"
          + perGroup + "=" + total + " is not a multiple of " + p + "=" + perProcess
          + ": every process must be full; change " + gs + " to a multiple of "
          + groupsPerProcess + " or lower " + p);
    }
  }

  /** The smallest divisors of n, at most eight, for "set X to one of ..." hints. */
  static List<Integer> divisors(int n) {
    TreeSet<Integer> all = new TreeSet<>();
    for (int d = 1; (long) d * d <= n; d++) {
      if (n % d == 0) {
        all.add(d);
        all.add(n / d);
      }
    }
    List<Integer> out = new ArrayList<>(all);
    return out.subList(0, Math.min(8, out.size()));
  }
}
