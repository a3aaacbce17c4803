package io.sparkps.bench.transport;

import static io.sparkps.bench.transport.MarkdownTable.f1;
import static io.sparkps.bench.transport.MarkdownTable.f2;

import io.sparkps.bench.Stats;
import io.sparkps.client.PsClient;
import io.sparkps.cluster.PsCluster;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.OptimizerType;
import io.sparkps.config.PsConf;
import io.sparkps.param.ParamSpec;
import io.sparkps.param.Slicer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How servers scale with the model.
 *
 * <p><b>Memory per param</b>: one server JVM; for SGD (no optimizer state), AdaGrad (one float
 * per param) and Adam (two), a param of {@code --memory-floats} floats is created and updated
 * {@code --updates} times; the server's live heap after a full collection (see {@link
 * HeapProbe}), minus the same before the param, divided by its floats, against the floor of 4
 * bytes × (1 + state floats).
 *
 * <p><b>Push/pull time</b>: for each of {@code --servers} server counts, a cluster of that many
 * server JVMs; params of each of {@code --sizes} floats, sliced over all its servers as
 * training does ({@link Slicer}); the client pushes (UPDATE, answered with the new values) and
 * pulls all slices of a param at once. Sizes are interleaved within a cluster, {@code
 * --repeats} times; the table gives medians. Each cluster's servers share {@code
 * --scaling-heap-mb} of heap.
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
  private static final Set<String> ARGS = Set.of("memory-floats", "updates", "sizes", "servers",
      "repeats", "scaling-heap-mb", "out");

  /** The two tables, and the worst ratio of measured to floor bytes per param. */
  record Result(MarkdownTable memory, MarkdownTable scaling, double worstMemoryRatio) {}

  private ScalingBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = new BenchArgs(args, ARGS);
    Result r = run(a);
    MarkdownTable.publish(a.outDir().resolve("ScalingBench.md"), "ScalingBench",
        "Server JVMs on 127.0.0.1 (2 shared cores: expect noise). Memory: live heap after a "
            + "full GC, delta over the empty server. Times: medians; push = UPDATE of every "
            + "slice answered with its new values, pull = GET of every slice.",
        r.memory(), r.scaling());
  }

  static Result run(BenchArgs a) throws Exception {
    MarkdownTable memory = new MarkdownTable("optimizer", "param floats", "state floats/param",
        "live heap delta MB", "bytes/param", "floor bytes/param", "ratio",
        "server's own count bytes/param");
    double worst = 0;
    int floats = a.intArg("memory-floats", 50_000_000);
    long heapMb = Math.max(1024, 16L * floats / (1 << 20) + 512);
    PsConf memConf = new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), heapMb + "m"));
    try (PsCluster cluster = PsCluster.start(memConf, 1, "127.0.0.1")) {
      PsClient client = cluster.client();
      long pid = cluster.serverPids().get(0);
      for (OptimizerConfig opt : List.of(OptimizerConfig.sgd(1e-3f),
          OptimizerConfig.adaGrad(1e-3f), OptimizerConfig.adam(1e-3f))) {
        ModelOnServers model = new ModelOnServers(client, Slicer.slice(
            List.of(ParamSpec.vector("w", floats)), 1, cluster.reserveParamIds(1)));
        long before = HeapProbe.liveHeapBytes(pid);
        model.create(opt);
        for (int u = 0; u < a.intArg("updates", 3); u++) {
          model.pushAll();
        }
        long after = HeapProbe.liveHeapBytes(pid);
        long counted = model.serverBytes();
        model.drop();
        int state = stateFloats(opt.type());
        double perParam = (after - before) / (double) floats;
        double floor = Float.BYTES * (1 + state);
        worst = Math.max(worst, perParam / floor);
        memory.row(opt.type(), floats, state, f1((after - before) / 1e6), f2(perParam),
            f1(floor), f2(perParam / floor), f2(counted / (double) floats));
      }
    }

    MarkdownTable scaling = new MarkdownTable("floats", "servers", "slices", "push s",
        "push MB/s each way", "pull s", "pull MB/s");
    int[] sizes = a.intsArg("sizes", 1_000_000, 10_000_000, 100_000_000);
    int repeats = a.intArg("repeats", 3);
    for (int n : a.intsArg("servers", 1, 2, 4)) {
      long perServerMb = Math.max(512, a.intArg("scaling-heap-mb", 3072) / n);
      PsConf conf = new PsConf(Map.of(PsConf.SERVER_MEMORY.key(), perServerMb + "m"));
      try (PsCluster cluster = PsCluster.start(conf, n, "127.0.0.1")) {
        PsClient client = cluster.client();
        double[][] push = new double[sizes.length][repeats];
        double[][] pull = new double[sizes.length][repeats];
        ModelOnServers[] models = new ModelOnServers[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
          models[s] = new ModelOnServers(client, Slicer.slice(
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
          scaling.row(sizes[s], n, models[s].numSlices(), f2(pushS), f1(mb / pushS), f2(pullS),
              f1(mb / pullS));
          models[s].drop();
        }
      }
    }
    return new Result(memory, scaling, worst);
  }

  private static int stateFloats(OptimizerType type) {
    return switch (type) {
      case SGD -> 0;
      case MOMENTUM, ADAGRAD -> 1;
      case ADAM, FTRL -> 2;
    };
  }
}
