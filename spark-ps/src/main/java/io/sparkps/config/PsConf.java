package io.sparkps.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code spark.ps.*} settings: every key as a constant next to its doc, default and
 * check, and a parsed, checked set of values.
 *
 * <p>Build one from all Spark settings; keys outside {@code spark.ps.} are ignored, unknown
 * {@code spark.ps.} keys and bad values fail at once, before anything starts:
 *
 * <pre>{@code
 * PsConf conf = new PsConf(Map.of("spark.ps.framework", "downpour", "spark.ps.lease", "10s"));
 * Duration lease = conf.get(PsConf.LEASE);
 * ClusterConfig topology = conf.clusterConfig(numPartitions);
 * }</pre>
 *
 * <p>Immutable, thread safe and {@link Serializable} (it holds only parsed values).
 */
public final class PsConf implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Every key starts with this. */
  public static final String PREFIX = "spark.ps.";

  /** Data shards per task slot of elastic workers when numWorkers does not say. */
  public static final int ELASTIC_SHARDS_PER_SLOT = 4;

  public static final ConfigKey<Framework> FRAMEWORK = new ConfigKey<>("spark.ps.framework",
      Framework.SANDBLASTER, Framework::parse, f -> true, "one of " + Framework.acceptedNames(),
      "Cluster topology preset; the spark.ps.num* and spark.ps.staleness/syncFreq keys"
          + " override its fields.");
  public static final ConfigKey<Integer> NUM_SERVERS = ConfigKey.intKey("spark.ps.numServers",
      2, 1, Integer.MAX_VALUE, "Servers per server group (SINGA nservers_per_group). Unset, "
          + "allreduce uses one per worker, the hogwild presets one.");
  public static final ConfigKey<Integer> SLICES_PER_SERVER = ConfigKey.intKey(
      "spark.ps.slicesPerServer", 1, 1, 1024,
      "Slices each server's share of a param is cut into. A slice is the unit that moves when"
          + " servers join or leave while training runs (docs/elasticity.md): with k, a cluster"
          + " grown to k times its servers still spreads the bytes evenly. More slices mean more"
          + " messages per step.");
  public static final ConfigKey<Integer> NUM_WORKER_GROUPS = ConfigKey.intKey(
      "spark.ps.numWorkerGroups", null, 1, Integer.MAX_VALUE,
      "Worker groups, which run asynchronously (SINGA nworker_groups). Unset: the preset's.");
  public static final ConfigKey<Integer> NUM_WORKERS_PER_GROUP = ConfigKey.intKey(
      "spark.ps.numWorkersPerGroup", null, 1, Integer.MAX_VALUE,
      "Workers that make one synchronous step (SINGA nworkers_per_group); more than one needs"
          + " that many concurrent task slots. Unset: the preset's.");
  public static final ConfigKey<Integer> NUM_SERVER_GROUPS = ConfigKey.intKey(
      "spark.ps.numServerGroups", null, 1, Integer.MAX_VALUE,
      "Full copies of the parameters (SINGA nserver_groups); must divide the number of worker"
          + " groups. Unset: the preset's.");
  public static final ConfigKey<Integer> STALENESS = new ConfigKey<>("spark.ps.staleness",
      null, PsConf::parseStaleness, v -> v >= 0, "an integer >= 0, or 'unbounded'",
      "Bounded delay: steps a worker group may run ahead of the slowest; 0 is lock-step."
          + " Unset: the preset's (unbounded).");
  public static final ConfigKey<Integer> MAX_IN_FLIGHT = ConfigKey.intKey(
      "spark.ps.maxInFlight", 8, 1, 1024,
      "Most steps a worker of an asynchronous framework (downpour with one worker per group,"
          + " hogwild, inmemory-hogwild) keeps in flight: it computes the next step from the"
          + " freshest values it holds while earlier pushes are on the wire, and waits only"
          + " when that many are unanswered; with sparse pulls it also asks for the rows of"
          + " that many coming batches ahead. Within this bound it keeps as few as hide a"
          + " push's round trip behind computing the next steps (1 + round trip / compute"
          + " time), since every step in flight makes the next ones staler. 1 waits for every"
          + " answer. Synchronous groups"
          + " (sandblaster, allreduce, numWorkersPerGroup > 1) and groups under a staleness"
          + " bound (spark.ps.staleness, which bounds how far groups drift apart and would be"
          + " loosened by steps in flight) always wait.");
  public static final ConfigKey<Integer> SYNC_FREQ = ConfigKey.intKey("spark.ps.syncFreq", 1,
      1, Integer.MAX_VALUE, "Updates a server group applies between syncs with the master"
          + " group of a slice (Distributed Hogwild).");
  public static final ConfigKey<String> SERVER_MEMORY = new ConfigKey<>(
      "spark.ps.server.memory", "512m", s -> {
        ConfUnits.parseJvmMemory(s);
        return s.trim();
      },
      s -> ConfUnits.parseJvmMemory(s) >= (16L << 20),
      "a JVM heap size of at least 16m, digits and k|m|g as for -Xmx (e.g. 512m, 2g)",
      "Heap (-Xmx) of each separate server process.");
  public static final ConfigKey<String> SERVER_JAVA_OPTIONS = ConfigKey.stringKey(
      "spark.ps.server.javaOptions", "", s -> true, "any JVM options",
      "Extra JVM options for separate server processes, e.g. GC settings.");
  public static final ConfigKey<String> SERVER_PLACEMENT = ConfigKey.stringKey(
      "spark.ps.server.placement", "auto", s -> s.equals("auto") || s.equals("driver")
          || s.equals("executors"), "auto, driver or executors",
      "Where separate servers run. driver: processes on the driver's host. executors: one"
          + " long-running Spark task per server launches it on an executor's host, spread"
          + " over distinct hosts, each holding one task slot (with dynamic allocation, on"
          + " executors of their own with spark.ps.server.cores and spark.ps.server.memory)."
          + " auto: driver under local masters; executors under cluster masters when the"
          + " cluster has task slots for the workers and the servers (or dynamic allocation),"
          + " else driver, and says why in the driver's log.");
  public static final ConfigKey<Integer> SERVER_CORES = ConfigKey.intKey(
      "spark.ps.server.cores", 1, 1, 1024,
      "Cores of each server's executor when servers run on executors of their own"
          + " (placement executors with dynamic allocation).");
  public static final ConfigKey<String> SERVER_HOST = ConfigKey.stringKey(
      "spark.ps.server.host", "", s -> !s.matches(".*\\s.*"), "a host name or address",
      "Address servers on the driver's host advertise: the one workers connect to, so never"
          + " a wildcard (nor loopback under a cluster master). Empty: the coordinator's."
          + " Servers on executors advertise their executor's host.");
  public static final ConfigKey<String> SERVER_BIND_ADDRESS = ConfigKey.stringKey(
      "spark.ps.server.bindAddress", "", s -> !s.matches(".*\\s.*"),
      "a host name or address, or 0.0.0.0",
      "Address servers listen on, e.g. 0.0.0.0 behind NAT or in containers. Empty: the"
          + " address they advertise.");
  public static final ConfigKey<String> COORDINATOR_HOST = ConfigKey.stringKey(
      "spark.ps.coordinator.host", "", s -> !s.matches(".*\\s.*"), "a host name or address",
      "Address the coordinator (on the driver) advertises to servers and workers; never a"
          + " wildcard. Empty: spark.driver.host (127.0.0.1 under local masters).");
  public static final ConfigKey<String> COORDINATOR_BIND_ADDRESS = ConfigKey.stringKey(
      "spark.ps.coordinator.bindAddress", "", s -> !s.matches(".*\\s.*"),
      "a host name or address, or 0.0.0.0",
      "Address the coordinator listens on. Empty: spark.driver.bindAddress when set, else"
          + " the coordinator's advertised address.");
  public static final ConfigKey<Integer> COORDINATOR_PORT = ConfigKey.intKey(
      "spark.ps.coordinator.port", 0, 0, 65535,
      "Port of the coordinator on the driver; 0 picks a free one.");
  public static final ConfigKey<Integer> SERVER_PORT = ConfigKey.intKey("spark.ps.server.port",
      0, 0, 65535, "Port of the first server; 0 lets each server pick a free one.");
  public static final ConfigKey<Duration> LEASE = ConfigKey.durationKey("spark.ps.lease",
      Duration.ofMillis(5000), Duration.ofMillis(1),
      "How long a server lives on without hearing from the coordinator; bounds how long"
          + " servers outlive a killed driver.");
  public static final ConfigKey<Duration> HEARTBEAT_INTERVAL = ConfigKey.durationKey(
      "spark.ps.heartbeatInterval", Duration.ofMillis(1000), Duration.ofMillis(1),
      "Interval of heartbeats between servers and the coordinator; must be < spark.ps.lease.");
  public static final ConfigKey<Integer> REPLICATION = ConfigKey.intKey(
      "spark.ps.replication", null, 0, 8,
      "Backups of every slice, each on another separate server (on another host when there is"
          + " one): an acknowledged update survives the loss of that many servers. Unset: 1"
          + " when there are at least 2 separate servers in one server group, else 0. Not"
          + " for co-located servers or several server groups.");
  public static final ConfigKey<Duration> SERVER_FAILURE_TIMEOUT = ConfigKey.durationKey(
      "spark.ps.server.failureTimeout", Duration.ofMillis(3000), Duration.ofMillis(1),
      "How long a server may send no heartbeat before the coordinator fails it over to its"
          + " backups (a server whose process exits is failed over at once); must be more"
          + " than spark.ps.heartbeatInterval.");
  public static final ConfigKey<Integer> MAX_STAGE_ATTEMPTS = ConfigKey.intKey(
      "spark.ps.maxStageAttempts", 4, 1, 100,
      "Runs of a training stage that runs all its tasks at once (synchronous groups, co-located"
          + " servers, a staleness bound) before a fit fails, when a run fails because an"
          + " executor was lost or a task was killed: Spark does not re-run such a stage, so"
          + " spark-ps does, and its workers resume at their groups' last applied steps (with"
          + " co-located servers, whose state was lost, from the start). Other stages are"
          + " retried task by task by Spark (spark.task.maxFailures).");
  public static final ConfigKey<Boolean> ELASTIC_WORKERS = ConfigKey.booleanKey(
      "spark.ps.elasticWorkers", false,
      "Elastic workers, for downpour with one worker per group and no staleness bound: the"
          + " data is cut into more shards than task slots (numWorkers, one worker group each;"
          + " unset: " + ELASTIC_SHARDS_PER_SLOT + " per task slot at the start of the fit),"
          + " and each epoch runs as an ordinary Spark stage of one task per shard, so that"
          + " executors added during a fit (dynamic allocation) take pending shards within"
          + " seconds and the shards of lost or decommissioned executors run again elsewhere,"
          + " resuming at their last applied step. Refused for synchronous groups, co-located"
          + " servers and a staleness bound, whose workers must all run at once; see"
          + " docs/elasticity.md.");
  public static final ConfigKey<Duration> RPC_TIMEOUT = ConfigKey.durationKey(
      "spark.ps.rpc.timeout", Duration.ofMillis(120_000), Duration.ofMillis(1),
      "Longest wait for any answer from a server or the coordinator, including a synchronous"
          + " group waiting for its slowest worker.");
  public static final ConfigKey<Duration> SERVER_START_TIMEOUT = ConfigKey.durationKey(
      "spark.ps.server.startTimeout", Duration.ofMillis(60_000), Duration.ofMillis(1),
      "Longest wait for all launched servers to register with the coordinator, and for every"
          + " co-located worker of a run to tell the driver where its server listens.");
  public static final ConfigKey<Duration> PROGRESS_INTERVAL = ConfigKey.durationKey(
      "spark.ps.progress.interval", Duration.ofMillis(10_000), Duration.ofMillis(1),
      "How often, within an epoch, each worker tells the driver how far it got (steps,"
          + " examples, loss); the driver's training listeners then hear of it. Workers also"
          + " report at the end of every epoch, whatever this is.");
  public static final ConfigKey<Integer> TRANSPORT_MAX_FRAME_BYTES = ConfigKey.sizeKey(
      "spark.ps.transport.maxFrameBytes", 268_435_456, 1024,
      "Largest frame accepted on a connection; larger ones close it. Bounds slice size.");
  public static final ConfigKey<Integer> TRANSPORT_IO_THREADS = ConfigKey.intKey(
      "spark.ps.transport.ioThreads", 2, 1, Integer.MAX_VALUE,
      "Netty event-loop threads per client or server.");
  public static final ConfigKey<String> CHECKPOINT_DIR = ConfigKey.stringKey(
      "spark.ps.checkpoint.dir", "", s -> !s.matches(".*\\s.*"),
      "a directory URI or path the application can write through Hadoop's FileSystem "
          + "(file:, hdfs:, s3a:, ...), or empty",
      "Where separate servers (sandblaster, downpour) write checkpoints of the params, their "
          + "optimizer state and every worker group's step; a fit started with a directory "
          + "that holds a complete checkpoint of the same model resumes from it. Empty: no "
          + "checkpoints. PSTrainer.setCheckpointDir overrides it.");
  public static final ConfigKey<CheckpointInterval> CHECKPOINT_INTERVAL = new ConfigKey<>(
      "spark.ps.checkpoint.interval", CheckpointInterval.of(Duration.ofMinutes(5)),
      CheckpointInterval::parse, v -> true, CheckpointInterval.FORMS,
      "How often a checkpoint is written when spark.ps.checkpoint.dir is set: every N steps "
          + "(a bare number), or at the first step after a duration. A checkpoint still "
          + "being written when the next is due makes that one skipped. "
          + "PSTrainer.setCheckpointInterval overrides it.");

  public static final ConfigKey<Boolean> CRYPTO_ENABLED = ConfigKey.booleanKey(
      "spark.ps.crypto.enabled", null,
      "Encrypt every connection to a parameter server or the coordinator (separate and"
          + " co-located servers, the coordinator, replication between servers) after the"
          + " handshake that authenticates it: AES-GCM with keys agreed per connection (X25519)"
          + " and bound to the application secret, as Spark's spark.network.crypto does; see"
          + " docs/security.md. Unset: on when the Spark conf encrypts Spark's own connections"
          + " (spark.network.crypto.enabled=true or spark.ssl.enabled=true), else off; PsConf"
          + " resolves this from the Spark settings it is built from.");

  private static final List<ConfigKey<?>> ALL = List.of(FRAMEWORK, NUM_SERVERS,
      SLICES_PER_SERVER, NUM_WORKER_GROUPS, NUM_WORKERS_PER_GROUP, NUM_SERVER_GROUPS, STALENESS,
      MAX_IN_FLIGHT, SYNC_FREQ,
      SERVER_MEMORY, SERVER_JAVA_OPTIONS, SERVER_PLACEMENT, SERVER_CORES, SERVER_HOST,
      SERVER_BIND_ADDRESS, COORDINATOR_HOST, COORDINATOR_BIND_ADDRESS, COORDINATOR_PORT, SERVER_PORT, LEASE,
      HEARTBEAT_INTERVAL, REPLICATION, SERVER_FAILURE_TIMEOUT, MAX_STAGE_ATTEMPTS, ELASTIC_WORKERS,
      RPC_TIMEOUT, SERVER_START_TIMEOUT, PROGRESS_INTERVAL, TRANSPORT_MAX_FRAME_BYTES,
      TRANSPORT_IO_THREADS, CRYPTO_ENABLED, CHECKPOINT_DIR, CHECKPOINT_INTERVAL);
  private static final Map<String, ConfigKey<?>> BY_NAME = ALL.stream()
      .collect(Collectors.toUnmodifiableMap(ConfigKey::key, Function.identity()));

  /** Spark's settings that turn {@link #CRYPTO_ENABLED} on when it is not set. */
  static final List<String> SPARK_CRYPTO_KEYS = List.of("spark.network.crypto.enabled",
      "spark.ssl.enabled");

  /** Explicitly set keys and their parsed values (Integer, Duration, String, Framework). */
  private final Map<String, Object> values;
  private final Map<String, String> raw;
  /** Whether the Spark settings encrypt Spark's own connections: the default of encryption. */
  private final boolean sparkEncrypts;

  /**
   * Parses and checks the {@code spark.ps.*} entries of {@code settings} (other keys are
   * ignored, so {@code SparkConf.getAll()} can be passed as is, except Spark's own encryption
   * settings, which give {@link #cryptoEnabled()} its default).
   *
   * @throws InvalidConfigException for an unknown {@code spark.ps.} key (listing near
   *     matches), a bad value (naming key and value), or heartbeat interval >= lease
   */
  public PsConf(Map<String, String> settings) {
    Map<String, Object> parsed = new HashMap<>();
    Map<String, String> texts = new TreeMap<>();
    // Sorted, so that the same bad settings always produce the same first error.
    for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      ConfigKey<?> key = BY_NAME.get(name);
      if (key == null) {
        throw new InvalidConfigException(name, "unknown setting " + name + "='" + e.getValue()
            + "'; " + KeySuggester.hint(name, BY_NAME.keySet()));
      }
      if (e.getValue() == null) {
        throw new InvalidConfigException(name, name + " has no value: must be "
            + key.allowed());
      }
      parsed.put(name, key.parse(e.getValue()));
      texts.put(name, e.getValue());
    }
    this.values = Collections.unmodifiableMap(parsed);
    this.raw = Collections.unmodifiableMap(texts);
    this.sparkEncrypts = SPARK_CRYPTO_KEYS.stream()
        .anyMatch(k -> "true".equalsIgnoreCase(String.valueOf(settings.get(k)).trim()));
    checkHeartbeatWithinLease();
    checkFailureTimeout();
  }

  /** All defaults. */
  public static PsConf defaults() {
    return new PsConf(Map.of());
  }

  /** Every known key, in documentation order. */
  public static List<ConfigKey<?>> all() {
    return ALL;
  }

  /**
   * The value of {@code key}, or its default when not set.
   *
   * @throws IllegalStateException if the key is not set and has no default (use {@link #find})
   */
  public <T> T get(ConfigKey<T> key) {
    return find(key).orElseThrow(() -> new IllegalStateException(key.key()
        + " is not set and has no default; use PsConf.find"));
  }

  /** The value of {@code key}, its default when not set, or empty if it has neither. */
  public <T> Optional<T> find(ConfigKey<T> key) {
    requireKnown(key);
    @SuppressWarnings("unchecked") // values were produced by this very key's parser
    T v = (T) values.get(key.key());
    return Optional.ofNullable(v != null ? v : key.defaultValue());
  }

  /** Whether {@code key} was given explicitly (rather than defaulted). */
  public boolean isSet(ConfigKey<?> key) {
    requireKnown(key);
    return values.containsKey(key.key());
  }

  /** The explicitly set {@code spark.ps.*} entries as given, e.g. to hand to a server JVM. */
  public Map<String, String> explicitSettings() {
    return raw;
  }

  /**
   * The topology: the preset of {@link #FRAMEWORK} sized for {@code defaultWorkers}, then
   * every explicitly set topology key applied over it. See {@link ClusterConfResolver}.
   *
   * @param defaultWorkers how many workers the preset should have when the keys do not say,
   *     typically the number of partitions of the training data
   * @throws InvalidConfigException if the result breaks a topology rule; the message names
   *     the spark.ps key to change
   */
  public ClusterConfig clusterConfig(int defaultWorkers) {
    return ClusterConfResolver.resolve(this, defaultWorkers);
  }

  private void checkHeartbeatWithinLease() {
    Duration hb = get(HEARTBEAT_INTERVAL);
    Duration lease = get(LEASE);
    if (hb.compareTo(lease) >= 0) {
      String changed = isSet(HEARTBEAT_INTERVAL) ? HEARTBEAT_INTERVAL.key() : LEASE.key();
      throw new InvalidConfigException(changed, HEARTBEAT_INTERVAL.key() + "=" + hb.toMillis()
          + "ms must be < " + LEASE.key() + "=" + lease.toMillis() + "ms, or servers lose"
          + " their lease between two heartbeats; lower " + HEARTBEAT_INTERVAL.key()
          + " or raise " + LEASE.key());
    }
  }

  private void checkFailureTimeout() {
    Duration hb = get(HEARTBEAT_INTERVAL);
    Duration timeout = get(SERVER_FAILURE_TIMEOUT);
    if (timeout.compareTo(hb) <= 0) {
      String changed = isSet(SERVER_FAILURE_TIMEOUT) ? SERVER_FAILURE_TIMEOUT.key()
          : HEARTBEAT_INTERVAL.key();
      throw new InvalidConfigException(changed, SERVER_FAILURE_TIMEOUT.key() + "="
          + timeout.toMillis() + "ms must be > " + HEARTBEAT_INTERVAL.key() + "="
          + hb.toMillis() + "ms, or live servers are failed over between two heartbeats");
    }
  }

  /**
   * Backups per slice for separate servers: {@link #REPLICATION} when set, else 1 with at
   * least 2 servers in a single server group, else 0.
   *
   * @throws InvalidConfigException if replication is asked for with several server groups
   */
  public int replication(int serversPerGroup, int serverGroups) {
    if (!isSet(REPLICATION)) {
      return serverGroups == 1 && serversPerGroup >= 2 ? 1 : 0;
    }
    int r = get(REPLICATION);
    if (r > 0 && serverGroups > 1) {
      throw new InvalidConfigException(REPLICATION.key(), REPLICATION.key() + "=" + r
          + " with " + serverGroups + " server groups: replicated slices need one server "
          + "group (their master copies could not follow a failover); set "
          + NUM_SERVER_GROUPS.key() + "=1 or " + REPLICATION.key() + "=0");
    }
    return r;
  }

  /**
   * Whether spark-ps connections are encrypted: {@link #CRYPTO_ENABLED} when set, else whether
   * the Spark settings this was built from encrypt Spark's own connections
   * ({@code spark.network.crypto.enabled=true} or {@code spark.ssl.enabled=true}).
   */
  public boolean cryptoEnabled() {
    return find(CRYPTO_ENABLED).orElse(sparkEncrypts);
  }

  private static void requireKnown(ConfigKey<?> key) {
    if (BY_NAME.get(key.key()) != key) {
      throw new IllegalArgumentException(key.key() + " is not a PsConf key");
    }
  }

  private static Integer parseStaleness(String s) {
    String t = s.trim();
    return t.equalsIgnoreCase("unbounded") ? ClusterConfig.UNBOUNDED_STALENESS
        : Integer.valueOf(t);
  }

  @Override
  public String toString() {
    return "PsConf" + raw;
  }
}
