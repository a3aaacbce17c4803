package io.sparkps.bench.transport;

import static io.sparkps.bench.MarkdownTable.f1;
import static io.sparkps.bench.MarkdownTable.f2;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.MarkdownTable;
import io.sparkps.bench.Stats;
import io.sparkps.client.PsClient;
import io.sparkps.cluster.PsCluster;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.OptimizerType;
import io.sparkps.config.PsConf;
import io.sparkps.param.ParamSpec;
import io.sparkps.param.Slicer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How servers scale with the model.
 *
 * <p><b>Memory per param</b>: one server JVM, warmed up by a param created, updated and
 * dropped; then for SGD (no optimizer state), AdaGrad (one float per param) and Adam (two), a
 * param of {@code --memory-floats} floats is created and updated {@code --updates} times; the
 * server's live heap after a full collection (see {@link HeapProbe}), minus the same once the
 * param is dropped again, divided by its floats, against the floor of 4 bytes × (1 + state
 * floats).
 *
 * <p><b>Push/pull time</b>: for each of {@code --servers} server counts, a cluster of that many
 * server JVMs; params of each of {@code --sizes} floats, sliced over all its servers as
 * training does ({@link Slicer}); the client pushes (UPDATE, answered with the new values) and
 * pulls all slices of a param at once. Sizes are interleaved within a cluster, {@code
 * --repeats} times; the table gives medians. Each cluster's servers share {@code
 * --scaling-heap-mb} of heap, and keep one copy of every slice (spark.ps.replication=0).
 *
 * <pre>
 * bin/bench transport.ScalingBench [--memory-floats 50000000] [--updates 3]
 *     [--sizes 1000000,10000000,100000000] [--servers 1,2,4] [--repeats 3]
 *     [--scaling-heap-mb 3072] [--out DIR]
 * </pre>
 *
 * Takes about 3 minutes with the defaults; writes {@code ScalingBench.md} to {@code --out}
 * (default spark-ps-bench/target/bench).
 */
public final class ScalingBench {
  private static final Map<String, String> DEFAULTS = defaults();

  /**
   * What one optimizer's param costs a server.
   *
   * @param liveBytes growth of the live heap
   * @param countedBytes values plus optimizer state, as the server counts them
   */
  record Memory(OptimizerType optimizer, long floats, int stateFloats, long liveBytes,
      long countedBytes) {
    double bytesPerParam() {
      return liveBytes / (double) floats;
    }

    /** Measured bytes per param over the floor of 4 × (1 + state floats). */
    double ratio() {
      return bytesPerParam() / (Float.BYTES * (1 + stateFloats));
    }
  }

  /** The two tables and the memory figures behind the first. */
  record Result(MarkdownTable memory, MarkdownTable scaling, List<Memory> memoryFigures) {}

  private ScalingBench() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("memory-floats", "50000000");
    d.put("updates", "3");
    d.put("sizes", "1000000,10000000,100000000");
    d.put("servers", "1,2,4");
    d.put("repeats", "3");
    d.put("scaling-heap-mb", "3072");
    d.put("out", BenchArgs.defaultOutDir().toString());
    return d;
  }

  public static void main(String[] args) throws Exception {
    run(args);
  }

  /** Runs the benchmark, prints its tables and writes them to {@code --out}. */
  static Result run(String... args) throws Exception {
    BenchArgs a = new BenchArgs("transport.ScalingBench", args, DEFAULTS);
    List<Memory> figures = new ArrayList<>();
    MarkdownTable memory = memory(a, figures);
    Result r = new Result(memory, scaling(a), figures);
    MarkdownTable.publish(Path.of(a.get("out")).resolve("ScalingBench.md"), "ScalingBench",
        "Server JVMs on 127.0.0.1 (2 shared cores: expect noise). Memory: live heap after a "
            + "full GC with the param, minus the same once it is dropped. Times: medians; "
            + "push = UPDATE of every slice answered with its new values, pull = GET of every "
            + "slice.",
        r.memory(), r.scaling());
    return r;
  }

  /** The memory table; adds each optimizer's figures to {@code figures}. */
  private static MarkdownTable memory(BenchArgs a, List<Memory> figures) throws Exception {
    MarkdownTable memory = new MarkdownTable("optimizer", "param floats", "state floats/param",
        "live heap delta MB", "bytes/param", "floor bytes/param", "ratio",
        "server's own count bytes/param");
    int floats = a.getInt("memory-floats");
    long heapMb = Math.max(1024, 16L * floats / (1 << 20) + 512);
    PsConf memConf = new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), heapMb + "m"));
    try (PsCluster cluster = PsCluster.start(memConf, 1, "127.0.0.1")) {
      PsClient client = cluster.client();
      long pid = cluster.serverPids().get(0);
      // One round first, so that classes, JIT code and pooled buffers are in place.
      ModelOnServers warmUp = new ModelOnServers(cluster, Slicer.slice(
          List.of(ParamSpec.vector("w", floats)), 1, cluster.reserveParamIds(1)));
      warmUp.create(OptimizerConfig.adam(1e-3f));
      warmUp.pushAll();
      warmUp.drop();
      // The first jcmd attach leaves objects of its own in the server.
      HeapProbe.liveHeapBytes(pid);
      for (OptimizerConfig opt : List.of(OptimizerConfig.sgd(1e-3f),
          OptimizerConfig.adaGrad(1e-3f), OptimizerConfig.adam(1e-3f))) {
        ModelOnServers model = new ModelOnServers(cluster, Slicer.slice(
            List.of(ParamSpec.vector("w", floats)), 1, cluster.reserveParamIds(1)));
        model.create(opt);
        for (int u = 0; u < a.getInt("updates"); u++) {
          model.pushAll();
        }
        long with = HeapProbe.liveHeapBytes(pid);
        long counted = model.serverBytes();
        model.drop();
        long without = HeapProbe.liveHeapBytes(pid);
        Memory m = new Memory(opt.type(), floats, stateFloats(opt.type()), with - without,
            counted);
        figures.add(m);
        memory.row(m.optimizer(), floats, m.stateFloats(), f1(m.liveBytes() / 1e6),
            f2(m.bytesPerParam()), f1(Float.BYTES * (1 + m.stateFloats())), f2(m.ratio()),
            f2(counted / (double) floats));
      }
    }
    return memory;
  }

  /** The push/pull table. */
  private static MarkdownTable scaling(BenchArgs a) {
    MarkdownTable scaling = new MarkdownTable("floats", "servers", "slices", "push ms",
        "push MB/s each way", "pull ms", "pull MB/s");
    int[] sizes = a.getInts("sizes");
    int repeats = a.getInt("repeats");
    for (int n : a.getInts("servers")) {
      long perServerMb = Math.max(512, a.getInt("scaling-heap-mb") / n);
      // One copy of every slice: what replication adds is FailoverBench's to measure.
      PsConf conf = new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), perServerMb + "m",
          PsConf.REPLICATION.key(), "0"));
      try (PsCluster cluster = PsCluster.start(conf, n, "127.0.0.1")) {
        PsClient client = cluster.client();
        double[][] push = new double[sizes.length][repeats];
        double[][] pull = new double[sizes.length][repeats];
        ModelOnServers[] models = new ModelOnServers[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
          models[s] = new ModelOnServers(cluster, Slicer.slice(
              List.of(ParamSpec.vector("w", sizes[s])), n, cluster.reserveParamIds(1)));
          models[s].create(OptimizerConfig.sgd(1e-3f));
        }
        for (int r = 0; r < repeats; r++) {
          for (int s = 0; s < sizes.length; s++) {
            push[s][r] = models[s].pushAll();
            pull[s][r] = models[s].pullAll();
          }
        }
        for (int s = 0; s < sizes.length; s++) {
          double mb = sizes[s] * (double) Float.BYTES / 1e6;
          double pushS = Stats.median(push[s]);
          double pullS = Stats.median(pull[s]);
          scaling.row(sizes[s], n, models[s].numSlices(), f1(pushS * 1e3), f1(mb / pushS),
              f1(pullS * 1e3), f1(mb / pullS));
          models[s].drop();
        }
      }
    }
    return scaling;
  }

  private static int stateFloats(OptimizerType type) {
    return switch (type) {
      case SGD -> 0;
      case MOMENTUM, ADAGRAD -> 1;
      case ADAM, FTRL -> 2;
    };
  }
}
