package io.sparkps.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * The cluster topology, with Apache SINGA's {@code ClusterProto} fields and rules.
 *
 * <p>Workers of one <em>worker group</em> make one synchronous step together; worker groups
 * run asynchronously, at most {@link #staleness()} steps apart. A <em>server group</em> holds
 * one full copy of the parameters; each serves {@code nWorkerGroups / nServerGroups} worker
 * groups, and several server groups synchronise every {@link #syncFreq()} updates.
 *
 * <p>Instances are immutable and always valid: {@link Builder#build()} and deserialisation
 * run {@link #validate()}. Start from a preset ({@link #sandblaster}, {@link #allReduce},
 * {@link #downpour}, {@link #distributedHogwild}, {@link #inMemoryHogwild}) and adjust with
 * {@link #toBuilder()}:
 *
 * <pre>{@code
 * ClusterConfig c = ClusterConfig.downpour(4, 2, 3).toBuilder().staleness(8).build();
 * }</pre>
 */
public final class ClusterConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  /** {@link #staleness()} value meaning worker groups never wait for one another. */
  public static final int UNBOUNDED_STALENESS = Integer.MAX_VALUE;

  private final int nWorkerGroups;
  private final int nServerGroups;
  private final int nWorkersPerGroup;
  private final int nServersPerGroup;
  private final int nWorkersPerProcess;
  private final int nServersPerProcess;
  private final boolean serverWorkerSeparate;
  private final int syncFreq;
  private final int staleness;

  private ClusterConfig(Builder b) {
    this.nWorkerGroups = b.nWorkerGroups;
    this.nServerGroups = b.nServerGroups;
    this.nWorkersPerGroup = b.nWorkersPerGroup;
    this.nServersPerGroup = b.nServersPerGroup;
    this.nWorkersPerProcess = b.nWorkersPerProcess;
    this.nServersPerProcess = b.nServersPerProcess;
    this.serverWorkerSeparate = b.serverWorkerSeparate;
    this.syncFreq = b.syncFreq;
    this.staleness = b.staleness;
  }

  // ---- presets ----------------------------------------------------------------------------

  /**
   * Synchronous training with dedicated server processes (Google Brain's Sandblaster). Pick
   * it when every step must see every worker's gradient and servers should not compete with
   * workers for CPU. SINGA fields: nWorkerGroups=1, nWorkersPerGroup=nWorkers, nServerGroups=1,
   * nServersPerGroup=nServers, serverWorkerSeparate=true, per-process counts 1, syncFreq=1,
   * staleness unbounded (irrelevant with one group).
   */
  public static ClusterConfig sandblaster(int nWorkers, int nServers) {
    return builder().nWorkersPerGroup(nWorkers).nServersPerGroup(nServers)
        .serverWorkerSeparate(true).build();
  }

  /**
   * Asynchronous groups of synchronous workers sharing one separate server group (Google
   * Brain's Downpour). Pick it to scale past the point where one synchronous group waits on
   * stragglers; bound the drift with {@code staleness}. SINGA fields:
   * nWorkerGroups=nWorkerGroups, nWorkersPerGroup=nWorkersPerGroup, nServerGroups=1,
   * nServersPerGroup=nServers, serverWorkerSeparate=true, per-process counts 1, syncFreq=1,
   * staleness unbounded.
   */
  public static ClusterConfig downpour(int nWorkerGroups, int nWorkersPerGroup, int nServers) {
    return builder().nWorkerGroups(nWorkerGroups).nWorkersPerGroup(nWorkersPerGroup)
        .nServersPerGroup(nServers).serverWorkerSeparate(true).build();
  }

  /**
   * Synchronous training where each worker's executor also hosts one server, so every node
   * owns a share of the parameters and aggregates it for all others (Baidu's DeepImage
   * AllReduce). Pick it when there are no spare machines for servers and the model is large
   * enough that one server would be a bottleneck. SINGA fields: nWorkerGroups=1,
   * nWorkersPerGroup=nWorkers, nServerGroups=1, nServersPerGroup=nWorkers,
   * serverWorkerSeparate=false, nWorkersPerProcess=1, nServersPerProcess=1, syncFreq=1,
   * staleness unbounded.
   */
  public static ClusterConfig allReduce(int nWorkers) {
    return builder().nWorkersPerGroup(nWorkers).nServersPerGroup(nWorkers)
        .serverWorkerSeparate(false).build();
  }

  /**
   * Distributed Hogwild (Caffe): each of {@code k} executors holds one worker and a full
   * server group, updates locally, and synchronises with the other server groups every
   * {@code syncFreq} updates. Pick it when communication per step must be minimal and
   * asynchronous convergence is acceptable. SINGA fields: nWorkerGroups=k, nWorkersPerGroup=1,
   * nServerGroups=k, nServersPerGroup=1, serverWorkerSeparate=false, per-process counts 1,
   * syncFreq=syncFreq, staleness unbounded.
   */
  public static ClusterConfig distributedHogwild(int k, int syncFreq) {
    return builder().nWorkerGroups(k).nServerGroups(k).syncFreq(syncFreq)
        .serverWorkerSeparate(false).build();
  }

  /**
   * Hogwild within one process: {@code nWorkers} workers update one shared copy of the
   * parameters without waiting for each other (SINGA's single-node recommendation). Pick it
   * for a single machine. Asynchrony in SINGA exists only <em>between</em> worker groups, so
   * the workers are {@code nWorkers} groups of one worker each, all in one process with the
   * single server co-located, matching SINGA's quick-start cluster
   * ({@code nworker_groups: n, nworkers_per_procs: n}, one server group). SINGA fields:
   * nWorkerGroups=nWorkers, nWorkersPerGroup=1, nServerGroups=1, nServersPerGroup=1,
   * nWorkersPerProcess=nWorkers, nServersPerProcess=1, serverWorkerSeparate=false,
   * syncFreq=1, staleness unbounded.
   */
  public static ClusterConfig inMemoryHogwild(int nWorkers) {
    return builder().nWorkerGroups(nWorkers).nWorkersPerProcess(nWorkers)
        .serverWorkerSeparate(false).build();
  }

  // ---- accessors --------------------------------------------------------------------------

  public int nWorkerGroups() {
    return nWorkerGroups;
  }

  public int nServerGroups() {
    return nServerGroups;
  }

  public int nWorkersPerGroup() {
    return nWorkersPerGroup;
  }

  public int nServersPerGroup() {
    return nServersPerGroup;
  }

  public int nWorkersPerProcess() {
    return nWorkersPerProcess;
  }

  public int nServersPerProcess() {
    return nServersPerProcess;
  }

  /** True if servers run in their own processes, false if co-located in worker executors. */
  public boolean serverWorkerSeparate() {
    return serverWorkerSeparate;
  }

  /** Updates a non-master server group applies between two syncs with the master group. */
  public int syncFreq() {
    return syncFreq;
  }

  /** Steps a worker group may run ahead of the slowest one; 0 is lock-step. */
  public int staleness() {
    return staleness;
  }

  /** {@code nWorkerGroups * nWorkersPerGroup}. */
  public int totalWorkers() {
    return nWorkerGroups * nWorkersPerGroup;
  }

  /** {@code nServerGroups * nServersPerGroup}. */
  public int totalServers() {
    return nServerGroups * nServersPerGroup;
  }

  /** True if a step needs several workers (a synchronous group, run in Spark barrier mode). */
  public boolean synchronousGroups() {
    return nWorkersPerGroup > 1;
  }

  /**
   * Returns this if all of SINGA's rules hold.
   *
   * @throws InvalidConfigException naming the field(s) to change and what is allowed
   */
  public ClusterConfig validate() {
    ClusterConfigChecks.check(this);
    return this;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder with SINGA's defaults: every count 1, co-located, syncFreq 1, unbounded. */
  public static Builder builder() {
    return new Builder();
  }

  // Fields are final, so a forged or corrupted stream is the only way to get a bad instance.
  private Object readResolve() {
    return validate();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ClusterConfig)) {
      return false;
    }
    ClusterConfig c = (ClusterConfig) o;
    return nWorkerGroups == c.nWorkerGroups && nServerGroups == c.nServerGroups
        && nWorkersPerGroup == c.nWorkersPerGroup && nServersPerGroup == c.nServersPerGroup
        && nWorkersPerProcess == c.nWorkersPerProcess
        && nServersPerProcess == c.nServersPerProcess
        && serverWorkerSeparate == c.serverWorkerSeparate && syncFreq == c.syncFreq
        && staleness == c.staleness;
  }

  @Override
  public int hashCode() {
    return Objects.hash(nWorkerGroups, nServerGroups, nWorkersPerGroup, nServersPerGroup,
        nWorkersPerProcess, nServersPerProcess, serverWorkerSeparate, syncFreq, staleness);
  }

  @Override
  public String toString() {
    return "ClusterConfig{nWorkerGroups=" + nWorkerGroups + ", nServerGroups=" + nServerGroups
        + ", nWorkersPerGroup=" + nWorkersPerGroup + ", nServersPerGroup=" + nServersPerGroup
        + ", nWorkersPerProcess=" + nWorkersPerProcess
        + ", nServersPerProcess=" + nServersPerProcess
        + ", serverWorkerSeparate=" + serverWorkerSeparate + ", syncFreq=" + syncFreq
        + ", staleness=" + (staleness == UNBOUNDED_STALENESS ? "unbounded" : staleness) + "}";
  }

  /** Mutable builder; {@link #build()} validates. Not thread safe. */
  public static final class Builder {
    private int nWorkerGroups = 1;
    private int nServerGroups = 1;
    private int nWorkersPerGroup = 1;
    private int nServersPerGroup = 1;
    private int nWorkersPerProcess = 1;
    private int nServersPerProcess = 1;
    private boolean serverWorkerSeparate = false;
    private int syncFreq = 1;
    private int staleness = UNBOUNDED_STALENESS;

    private Builder() {
    }

    private Builder(ClusterConfig c) {
      nWorkerGroups = c.nWorkerGroups;
      nServerGroups = c.nServerGroups;
      nWorkersPerGroup = c.nWorkersPerGroup;
      nServersPerGroup = c.nServersPerGroup;
      nWorkersPerProcess = c.nWorkersPerProcess;
      nServersPerProcess = c.nServersPerProcess;
      serverWorkerSeparate = c.serverWorkerSeparate;
      syncFreq = c.syncFreq;
      staleness = c.staleness;
    }

    public Builder nWorkerGroups(int v) {
      nWorkerGroups = v;
      return this;
    }

    public Builder nServerGroups(int v) {
      nServerGroups = v;
      return this;
    }

    public Builder nWorkersPerGroup(int v) {
      nWorkersPerGroup = v;
      return this;
    }

    public Builder nServersPerGroup(int v) {
      nServersPerGroup = v;
      return this;
    }

    public Builder nWorkersPerProcess(int v) {
      nWorkersPerProcess = v;
      return this;
    }

    public Builder nServersPerProcess(int v) {
      nServersPerProcess = v;
      return this;
    }

    public Builder serverWorkerSeparate(boolean v) {
      serverWorkerSeparate = v;
      return this;
    }

    public Builder syncFreq(int v) {
      syncFreq = v;
      return this;
    }

    public Builder staleness(int v) {
      staleness = v;
      return this;
    }

    /** @throws InvalidConfigException if a rule of {@link ClusterConfig#validate()} fails */
    public ClusterConfig build() {
      return new ClusterConfig(this).validate();
    }
  }
}
