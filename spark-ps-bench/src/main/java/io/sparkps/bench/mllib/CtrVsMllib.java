package io.sparkps.bench.mllib;

import io.sparkps.bench.BenchArgs;
import io.sparkps.bench.Jvm;
import io.sparkps.bench.MarkdownTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Logistic regression on wide generated CTR data ({@link io.sparkps.examples.CtrData}, the
 * problem of SparseCtrExample): time to a target test AUC and peak memory, spark-ps against
 * MLlib's {@code LogisticRegression}, at each width of {@code --features}.
 *
 * <p>Each system runs in a driver JVM of its own ({@link CtrRun}, heap {@code --driver-heap}
 * for both) with a {@code local-cluster} of {@code --executors} one-core executor JVMs of
 * {@code --executor-mb} MB, so driver, executors and spark-ps's servers are separate processes.
 * After a warm-up fit on {@code --warmup-rows} rows, each trains fresh models with growing
 * budgets: spark-ps (downpour, 2 workers, 2 servers, AdaGrad, batch 256, step {@code
 * --ps-step-size} 0.1, as SparseCtrExample) with {@code --ps-epochs} epochs, MLlib with
 * {@code --mllib-iters} as maxIter. Every fit's wall time and test AUC are kept.
 *
 * <p>MLlib runs with L2 regularisation {@code --mllib-reg-param} (1e-5) on unstandardised
 * features, as suits one-hot data: with its defaults (no regularisation) it over-fits this
 * data, peaking at a test AUC of about 0.76 after 5 iterations at 1M features and falling
 * after, against about 0.87 with this setting ({@code --mllib-reg-param 0
 * --mllib-standardization true} measures the defaults).
 *
 * <p>The target AUC at each width is the lower of the two systems' best test AUCs minus
 * {@code --slack}: a value both reached. When MLlib finished no fit, it is spark-ps's best
 * minus the slack. A system's time to target is the wall time of its smallest budget whose fit
 * reached it. A run longer than {@code --time-limit-min} is stopped and its finished fits kept;
 * a driver out of memory (the JVM exits on the first OutOfMemoryError) or any other failure is
 * reported with its reason.
 *
 * <p>Memory: the driver's and every executor's and server's peak resident set (VmHWM, sampled
 * from /proc every half second by this JVM, which watches the driver's process tree), and the
 * driver's largest old-generation occupancy after a garbage collection (its live heap, plus
 * garbage not yet collected), over the whole run.
 *
 * <pre>
 * bin/bench mllib.CtrVsMllib [--features 10000000,1000000] [--rows 1000000] [--test-rows 100000]
 *     [--nnz 20] [--warmup-rows 20000] [--ps-epochs 1,2] [--ps-step-size 0.1]
 *     [--mllib-iters 1,2,5,10,20]
 *     [--slack 0.002] [--driver-heap 4g] [--executors 2] [--executor-mb 2048]
 *     [--time-limit-min 15] [--mllib-reg-param 1e-5] [--mllib-standardization false]
 *     [--out spark-ps-bench/target/bench/CtrVsMllib.md]
 * </pre>
 *
 * The full default run takes about 10 minutes on 2 idle cores; the drivers' logs and results go to
 * the folder of {@code --out}, under {@code CtrVsMllib-runs/}.
 */
public final class CtrVsMllib {
  private static final Map<String, String> DEFAULTS = defaults();
  private static final String[] SYSTEMS = {"spark-ps", "mllib"};

  private CtrVsMllib() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("features", "10000000,1000000");
    d.put("rows", "1000000");
    d.put("test-rows", "100000");
    d.put("nnz", "20");
    d.put("warmup-rows", "20000");
    d.put("ps-epochs", "1,2");
    d.put("ps-step-size", "0.1");
    d.put("mllib-iters", "1,2,5,10,20");
    d.put("slack", "0.002");
    d.put("driver-heap", "4g");
    d.put("executors", "2");
    d.put("executor-mb", "2048");
    d.put("time-limit-min", "15");
    d.put("mllib-reg-param", "1e-5");
    d.put("mllib-standardization", "false");
    d.put("out", Report.defaultPath("CtrVsMllib").toString());
    return d;
  }

  /**
   * Executor memory against the cached training data, as Spark reports both.
   *
   * @param inputBytes the cached training data set (memory and disk)
   * @param fitBytes the most a fit cached of its own while it ran, over the fits
   * @param executorHeap the largest peak JVM heap of an executor, -1 when none was reported
   */
  record Cache(long inputBytes, long fitBytes, long executorHeap) {}

  /** One fit of a run: its budget (epochs or maxIter), wall time and test AUC. */
  record Fit(int budget, double seconds, double auc) {}

  /**
   * What one driver JVM did: its fits, how it ended (null when it finished), its driver's
   * largest old generation after GC, the peak RSS of its processes, and how many of them were
   * still running after the driver ended and had to be killed.
   */
  record Run(String system, int features, List<Fit> fits, String failure, long driverHeap,
      List<ProcessTree.Peak> driver, List<ProcessTree.Peak> executors,
      List<ProcessTree.Peak> servers, int killed, Cache cache) {

    double bestAuc() {
      return fits.stream().mapToDouble(Fit::auc).max().orElse(Double.NaN);
    }

    /** The first fit at or above {@code target}, or null. */
    Fit first(double target) {
      return fits.stream().filter(f -> f.auc() >= target).findFirst().orElse(null);
    }

    long driverRss() {
      return driver.isEmpty() ? -1 : driver.get(0).bytes();
    }
  }

  public static void main(String[] argv) throws Exception {
    BenchArgs args = args(argv);
    report(args, measure(args)).publish(Path.of(args.get("out")));
  }

  /** The arguments, defaults filled in. */
  static BenchArgs args(String... argv) {
    return new BenchArgs("mllib.CtrVsMllib", argv, DEFAULTS);
  }

  /** Both systems at each width, spark-ps first; logs and results beside {@code --out}. */
  static List<Run[]> measure(BenchArgs args) throws IOException, InterruptedException {
    Path runs = Path.of(args.get("out")).toAbsolutePath().getParent().resolve("CtrVsMllib-runs");
    Files.createDirectories(runs);
    List<Run[]> results = new ArrayList<>();
    for (int features : args.getInts("features")) {
      Run[] pair = new Run[SYSTEMS.length];
      for (int i = 0; i < SYSTEMS.length; i++) {
        pair[i] = run(args, SYSTEMS[i], features, runs);
        System.out.printf("%s at %d features: %s, %s%n", SYSTEMS[i], features, pair[i].fits(),
            pair[i].failure() == null ? "finished" : pair[i].failure());
      }
      results.add(pair);
    }
    return results;
  }

  /** Runs one system at one width in its own driver JVM, watched and time-limited. */
  private static Run run(BenchArgs args, String system, int features, Path dir)
      throws IOException, InterruptedException {
    String name = system + "-" + features;
    Path result = dir.resolve(name + ".txt");
    Path log = dir.resolve(name + ".log");
    Files.deleteIfExists(result);
    List<String> childArgs = List.of("--system", system, "--features", Integer.toString(features),
        "--rows", args.get("rows"), "--test-rows", args.get("test-rows"), "--nnz",
        args.get("nnz"), "--executors", args.get("executors"), "--executor-mb",
        args.get("executor-mb"), "--budgets",
        args.get(system.equals("mllib") ? "mllib-iters" : "ps-epochs"),
        "--warmup-rows", args.get("warmup-rows"), "--ps-step-size", args.get("ps-step-size"),
        "--mllib-reg-param",
        args.get("mllib-reg-param"), "--mllib-standardization", args.get("mllib-standardization"),
        "--out", result.toString());
    long limitMin = args.getInt("time-limit-min");
    Process driver = Jvm.start(CtrRun.class, args.get("driver-heap"),
        List.of("-XX:+ExitOnOutOfMemoryError"), childArgs, log);
    ProcessTree tree = ProcessTree.watch(driver.toHandle(), Duration.ofMillis(500));
    boolean finished = false;
    int killed;
    try {
      finished = driver.waitFor(limitMin, TimeUnit.MINUTES);
    } finally {
      tree.close();
      killed = tree.destroyAll(Duration.ofSeconds(20));
    }
    List<Fit> fits = new ArrayList<>();
    long heap = -1;
    long input = -1;
    long fitCache = -1;
    long executorHeap = -1;
    String failure = finished ? null
        : "stopped at the time limit of " + limitMin + " min, in the budget after the last fit";
    List<String> lines = Files.exists(result)
        ? Files.readAllLines(result, StandardCharsets.UTF_8) : List.of();
    for (String line : lines) {
      String[] f = line.split(" ", 2);
      switch (f[0]) {
        case "fit" -> {
          String[] v = f[1].split(" ");
          fits.add(new Fit(Integer.parseInt(v[0]), Double.parseDouble(v[1]),
              Double.parseDouble(v[2])));
        }
        case "heap" -> heap = Long.parseLong(f[1]);
        case "cache" -> {
          String[] v = f[1].split(" ");
          input = Long.parseLong(v[0]);
          fitCache = Math.max(fitCache, Long.parseLong(v[1]));
        }
        case "executor-heap" -> executorHeap = Long.parseLong(f[1]);
        case "failed" -> failure = "failed: " + cell(f[1]);
        default -> { }
      }
    }
    if (finished && failure == null && !lines.contains("done")) {
      failure = outOfMemory(log)
          ? "failed: driver out of memory (-Xmx" + args.get("driver-heap") + ")"
          : "failed: driver exited with status " + driver.exitValue() + " (see " + log + ")";
    }
    return new Run(system, features, fits, failure, heap, tree.peaks("driver"),
        tree.peaks("executor"), tree.peaks("server"), killed,
        new Cache(input, fitCache, executorHeap));
  }

  /** A message fit for a table cell: no column bars, at most 200 characters. */
  private static String cell(String message) {
    String s = message.replace('|', '/');
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  private static boolean outOfMemory(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8).contains("OutOfMemoryError");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The target AUC at one width: both systems' best, lower one, minus the slack. */
  static double target(Run ps, Run mllib, double slack) {
    return (mllib.fits().isEmpty() ? ps.bestAuc() : Math.min(ps.bestAuc(), mllib.bestAuc()))
        - slack;
  }

  /** The markdown table of the runs, with a verdict per width. */
  static Report report(BenchArgs args, List<Run[]> results) {
    Report out = new Report();
    out.line("## spark-ps vs MLlib LogisticRegression on generated CTR data").line("");
    out.line("%s training rows, %s test rows, %s one-hot features a row (power law), "
        + "local-cluster of %s executors x 1 core x %s MB, driver heap %s for both, "
        + "time limit %s min a run. spark-ps: downpour, 2 workers, 2 servers, AdaGrad, batch "
        + "256, step %s; MLlib: L-BFGS, regParam %s, standardization %s. Target = lower of "
        + "the two best test AUCs - %s.",
        args.get("rows"), args.get("test-rows"), args.get("nnz"), args.get("executors"),
        args.get("executor-mb"), args.get("driver-heap"), args.get("time-limit-min"),
        args.get("ps-step-size"), args.get("mllib-reg-param"),
        args.get("mllib-standardization"), args.get("slack"));
    out.line("");
    MarkdownTable table = new MarkdownTable("features", "system", "fits: budget (s, AUC)",
        "target AUC", "time to target (s)", "driver peak RSS", "driver old gen after GC",
        "executors peak RSS", "executors peak heap", "cached training data",
        "cached by the fit", "servers peak RSS", "outcome");
    List<String> verdicts = new ArrayList<>();
    for (Run[] pair : results) {
      double target = target(pair[0], pair[1], args.getDouble("slack"));
      for (Run r : pair) {
        Fit hit = r.first(target);
        table.row(r.features(), r.system(), r.fits().stream()
                .map(f -> Report.fmt("%d (%.1f, %.4f)", f.budget(), f.seconds(), f.auc()))
                .collect(Collectors.joining(", ")),
            Report.fmt("%.4f", target),
            hit == null ? "not reached" : Report.fmt("%.1f (%d)", hit.seconds(), hit.budget()),
            mb(r.driverRss()), mb(r.driverHeap()),
            r.executors().stream().map(p -> mb(p.bytes())).collect(Collectors.joining(" + ")),
            mb(r.cache().executorHeap()), mb(r.cache().inputBytes()), mb(r.cache().fitBytes()),
            r.servers().isEmpty() ? "-"
                : r.servers().stream().map(p -> mb(p.bytes())).collect(Collectors.joining(" + ")),
            (r.failure() == null ? "finished" : r.failure())
                + (r.killed() > 0 ? "; " + r.killed() + " processes left running, killed" : ""));
      }
      verdicts.add(verdict(pair[0], pair[1], target));
    }
    out.table(table);
    out.line("");
    out.line("Budgets are epochs for spark-ps and maxIter for MLlib; each fit is a fresh model. "
        + "Time to target: wall time of the smallest budget whose fit reached the target "
        + "(its budget in brackets). Executors peak heap: the largest peak JVM heap of an "
        + "executor over the run (Spark's executor metrics, JVMHeapMemory, polled every "
        + "200 ms). Cached training data: the cached training Dataset's size in Spark's "
        + "storage (memory and disk, all executors); cached by the fit: the most the fit's own "
        + "cached RDDs held at once, sampled every 100 ms (spark-ps's examples, MLlib's "
        + "instances).");
    verdicts.forEach(v -> out.line("").line("%s", v));
    return out;
  }

  /**
   * How MLlib compares at one width, for the bar: MLlib fails, or takes at least 3x the
   * time to the target with 5x the driver memory.
   */
  static String verdict(Run ps, Run mllib, double target) {
    Fit p = ps.first(target);
    Fit m = mllib.first(target);
    double rss = (double) mllib.driverRss() / ps.driverRss();
    String memory = Report.fmt("MLlib's driver peak RSS %.1fx spark-ps's, its old gen after GC "
        + "%.1fx", rss, (double) mllib.driverHeap() / ps.driverHeap());
    if (p == null) {
      return Report.fmt("At %d features spark-ps did not reach the target.", ps.features());
    }
    if (m == null) {
      return Report.fmt("At %d features MLlib did not reach the target AUC %.4f (%s; best %.4f); "
          + "spark-ps reached it in %.1f s; %s. Bar (MLlib fails, or takes >= 3x the time with "
          + ">= 5x the driver memory): %s.", ps.features(), target,
          mllib.failure() == null ? "finished" : mllib.failure(), mllib.bestAuc(),
          p.seconds(), memory, mllib.failure() != null ? "met" : "not met");
    }
    double time = m.seconds() / p.seconds();
    return Report.fmt("At %d features MLlib took %.2fx spark-ps's time to the target AUC %.4f "
        + "(%.1f s against %.1f s); %s. Bar (MLlib fails, or takes >= 3x the time with >= 5x "
        + "the driver memory): %s.", ps.features(), time, target, m.seconds(), p.seconds(),
        memory, time >= 3 && rss >= 5 ? "met" : "not met");
  }


  private static String mb(long bytes) {
    return bytes < 0 ? "-" : Report.fmt("%d MB", bytes >> 20);
  }
}
