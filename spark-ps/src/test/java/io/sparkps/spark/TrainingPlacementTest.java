package io.sparkps.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.testing.LocalClusterSpark;
import io.sparkps.testing.SharedSpark;
import io.sparkps.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where the training stage's tasks run when both cached partitions of the training data sit on
 * one of two one-core executors, under Spark's default {@code spark.locality.wait} (3 s):
 * every worker starts at once on a free slot, instead of waiting for the executor that holds
 * its partition. To put the data on one executor whatever the timing, the other executor's
 * core is kept busy while the fit prepares its data, and freed as its training job starts.
 * {@link AnySlotRDD}, which does it, keeps its parent's partitions and recomputes a lost one.
 */
class TrainingPlacementTest {
  private static SparkSession spark;
  private static JavaSparkContext jsc;
  /** The two executors' ids. */
  private static Set<String> executors;
  /** Where the task keeping an executor busy says it started, and waits to be released. */
  private static Path flags;

  @BeforeAll
  static void start() throws Exception {
    SharedSpark.get().stop();  // one SparkContext per JVM
    flags = Files.createTempDirectory("spark-ps-placement");
    // The fits here are tiny: 1 GB executors, half of LocalClusterSpark's.
    spark = SparkSession.builder()
        .master("local-cluster[2,1,1024]")
        .appName("spark-ps-training-placement")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.extraClassPath", LocalClusterSpark.executorClassPath())
        .config("spark.executor.extraJavaOptions", System.getProperty("sparkps.test.jvmOpens", ""))
        .config("spark.ps.server.memory", "256m")
        .getOrCreate();
    jsc = new JavaSparkContext(spark.sparkContext());
    assertFalse(spark.sparkContext().getConf().contains("spark.locality.wait"),
        "the test is about Spark's default locality wait");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (spark.sparkContext().getExecutorMemoryStatus().size() < 3) {
      assertTrue(System.nanoTime() < deadline, "the local cluster did not get two executors");
      Thread.sleep(100);
    }
    // One task per executor (each has one core, and each task holds it for a while), which
    // loads ND4J there and caches a partition of examples: a worker of a fit here must not
    // spend its first seconds on that.
    JavaRDD<LabeledExample> cached = jsc.parallelize(List.of(0, 1), 2).map(i -> {
      Nd4j.create(1);
      Thread.sleep(500);
      return LabeledExample.of(i, Vectors.dense(1, 2, 3));
    }).persist(StorageLevel.MEMORY_AND_DISK());
    cached.count();
    // Nor on its executor's first read of a block cached by another executor, as a worker
    // whose partition sits there reads it: on a loaded machine, that took seconds.
    int rdd = cached.id();
    executors = new TreeSet<>(jsc.parallelize(List.of(0, 1), 2).map(i -> {
      for (int p = 0; p < 2; p++) {
        SparkEnv.get().blockManager().get(new RDDBlockId(rdd, p),
            scala.reflect.ClassTag$.MODULE$.apply(LabeledExample.class)).get().data()
            .foreach(x -> x);
      }
      Thread.sleep(500);
      return SparkEnv.get().executorId();
    }).collect());
    cached.unpersist(true);
    assertEquals(2, executors.size(), "one task on each executor: " + executors);
    // Nor on loading the training's classes: a small fit whose two workers, on two free
    // executors, run one on each.
    new PSTrainer().setFramework("downpour").setNumWorkers(2).setNumServers(1).setMaxEpochs(1)
        .fit(TestData.generated(spark, 200, 3, 3, 2));
  }

  @AfterAll
  static void stop() throws IOException {
    if (spark != null) {
      spark.stop();
    }
    if (flags != null) {
      for (String f : new String[] {"started", "started.tmp", "release"}) {
        Files.deleteIfExists(flags.resolve(f));
      }
      Files.delete(flags);
    }
  }

  private static void touch(Path file) {
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // released already
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fit's model, what its jobs placed where, and the executor left free for its data. */
  private record Fit(PSTrainerModel model, Placement placement, String dataExecutor) {

    /** Both cached partitions of the training input sat on that one executor. */
    void assertDataOnOneExecutor() {
      assertEquals(Map.of(0, Set.of(dataExecutor), 1, Set.of(dataExecutor)),
          placement.inputBlocks(), "executors holding each cached partition of the training "
          + "input");
    }
  }

  /**
   * Fits {@code data} (two partitions) while a task of another job holds one executor's core
   * until the fit's training job starts: the fit's preparation computes and caches both
   * partitions on the other executor, however long its tasks take.
   */
  private static Fit fitWithDataOnOneExecutor(PSTrainer trainer, Dataset<Row> data)
      throws Exception {
    Path started = flags.resolve("started");
    Path release = flags.resolve("release");
    Files.deleteIfExists(started);
    Files.deleteIfExists(release);
    String startedAt = started.toString();
    String releaseAt = release.toString();
    JavaFutureAction<Void> busy = jsc.parallelize(List.of(0), 1).foreachPartitionAsync(it -> {
      Path tmp = Path.of(startedAt + ".tmp");
      Files.writeString(tmp, SparkEnv.get().executorId());
      Files.move(tmp, Path.of(startedAt), StandardCopyOption.ATOMIC_MOVE);
      while (!Files.exists(Path.of(releaseAt))) {
        Thread.sleep(10);
      }
    });
    Placement placement = new Placement(() -> touch(release));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(started)) {
        assertTrue(System.nanoTime() < deadline, "the task keeping an executor busy did not "
            + "start within 60 s");
        Thread.sleep(10);
      }
      Set<String> free = new TreeSet<>(executors);
      free.remove(Files.readString(started));
      spark.sparkContext().addSparkListener(placement);
      PSTrainerModel model = trainer.fit(data);
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(1, free.size(), "one executor left free: " + free);
      return new Fit(model, placement, free.iterator().next());
    } finally {
      touch(release);
      spark.sparkContext().removeSparkListener(placement);
      busy.get(60, TimeUnit.SECONDS);
    }
  }

  /** What a fit's jobs placed where: cached blocks, and the training stage and its tasks. */
  private static final class Placement extends SparkListener {
    private final Runnable onTrainingJob;
    /** Executors holding each cached partition, by "rddId/partition". */
    final Map<String, Set<String>> blocks = new ConcurrentHashMap<>();
    /** Ids of the cached RDDs the training stage reads. */
    final Set<Integer> trainingInput = ConcurrentHashMap.newKeySet();
    final Set<Integer> trainingStages = ConcurrentHashMap.newKeySet();
    final Map<Integer, Long> stageSubmitted = new ConcurrentHashMap<>();
    /** Launch times (driver clock, ms) of the training stage's tasks, by executor. */
    final Map<String, List<Long>> launches = new ConcurrentHashMap<>();

    Placement(Runnable onTrainingJob) {
      this.onTrainingJob = onTrainingJob;
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
      String description = job.properties() == null ? null
          : job.properties().getProperty("spark.job.description");
      if (description == null || !description.startsWith(TrainingRun.JOB_PREFIX)) {
        return;
      }
      for (StageInfo stage : CollectionConverters.asJava(job.stageInfos())) {
        trainingStages.add(stage.stageId());
        stage.rddInfos().foreach(rdd -> rdd.storageLevel().isValid()
            && trainingInput.add(rdd.id()));
      }
      onTrainingJob.run();
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
      StageInfo stage = submitted.stageInfo();
      if (stage.submissionTime().isDefined()) {
        stageSubmitted.put(stage.stageId(), (Long) stage.submissionTime().get());
      }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
      if (trainingStages.contains(start.stageId())) {
        launches.computeIfAbsent(start.taskInfo().executorId(),
            e -> java.util.Collections.synchronizedList(new ArrayList<>()))
            .add(start.taskInfo().launchTime());
      }
    }

    @Override
    public void onBlockUpdated(SparkListenerBlockUpdated update) {
      if (update.blockUpdatedInfo().blockId() instanceof RDDBlockId id
          && update.blockUpdatedInfo().storageLevel().isValid()) {
        blocks.computeIfAbsent(id.rddId() + "/" + id.splitIndex(),
            k -> ConcurrentHashMap.newKeySet())
            .add(update.blockUpdatedInfo().blockManagerId().executorId());
      }
    }

    /** The executors that cached the training stage's input, by partition. */
    Map<Integer, Set<String>> inputBlocks() {
      assertEquals(1, trainingInput.size(), "one cached RDD feeds the training stage: "
          + trainingInput);
      int rdd = trainingInput.iterator().next();
      Map<Integer, Set<String>> out = new TreeMap<>();
      blocks.forEach((k, v) -> {
        if (k.startsWith(rdd + "/")) {
          out.put(Integer.parseInt(k.substring(k.indexOf('/') + 1)), v);
        }
      });
      return out;
    }
  }

  @Test
  void downpourWorkersTrainAtOnceThoughTheirCachedPartitionsShareAnExecutor() throws Exception {
    // 80 steps of 10 ms or more: 1 to 2 s per worker, well under the 3 s locality wait, so
    // that a worker waiting for the other's executor would rather wait than move.
    Fit fit = fitWithDataOnOneExecutor(new PSTrainer().setFramework("downpour")
        .setNumWorkers(2).setNumServers(1).setBatchSize(30).setMaxEpochs(4).setSeed(3)
        .setModel(new PacedModel(10)), TestData.generated(spark, 1200, 3, 3, 2));

    fit.assertDataOnOneExecutor();
    TrainingSummary s = fit.model().summary();
    assertEquals(2, s.workers().size(), s.toString());
    assertEquals(Set.of(0, 1), Set.of(s.workers().get(0).group(), s.workers().get(1).group()),
        "two groups of one worker");
    double first = s.workers().get(0).seconds();
    double second = s.workers().get(1).seconds();
    // Both training loops ran within the trainSeconds the driver measured around the stage:
    // if they add up to more than that, they overlapped by at least the difference.
    double overlap = first + second - s.trainSeconds();
    assertTrue(overlap > 0, String.format("the workers' training loops (%.2f s and %.2f s) did "
        + "not overlap within the stage's %.2f s; training tasks launched at (ms, by "
        + "executor): %s", first, second, s.trainSeconds(), fit.placement().launches));
    assertEquals(2, fit.placement().launches.size(),
        "a training task on each executor: " + fit.placement().launches);
  }

  @Test
  void sandblasterBarrierStageStartsWithoutWaitingForLocality() throws Exception {
    Fit fit = fitWithDataOnOneExecutor(new PSTrainer().setFramework("sandblaster")
        .setNumWorkers(2).setNumServers(1).setBatchSize(30).setMaxEpochs(1).setSeed(3)
        .setModel(new PacedModel(5)), TestData.generated(spark, 600, 3, 3, 2));

    fit.assertDataOnOneExecutor();
    Placement placement = fit.placement();
    assertEquals(1, placement.trainingStages.size(), "one training stage");
    long submitted = placement.stageSubmitted.get(placement.trainingStages.iterator().next());
    long lastLaunch = placement.launches.values().stream().flatMap(List::stream)
        .mapToLong(Long::longValue).max().orElseThrow();
    assertEquals(2, placement.launches.size(), "a task on each executor: "
        + placement.launches);
    // Waiting for the executor holding the data would take spark.locality.wait, 3 s.
    assertTrue(lastLaunch - submitted < 1500, "the barrier stage's tasks launched "
        + (lastLaunch - submitted) + " ms after it was submitted");
  }

  /** The elements of each partition (a shuffle's output comes in the order it was fetched). */
  private static <T> List<Set<T>> byPartition(RDD<T> rdd) {
    return JavaRDD.fromRDD(rdd, rdd.elementClassTag()).glom().collect().stream()
        .<Set<T>>map(java.util.HashSet::new).toList();
  }

  private static int cachedPartitions(int rdd) {
    return java.util.Arrays.stream(spark.sparkContext().getRDDStorageInfo())
        .filter(r -> r.id() == rdd).mapToInt(r -> r.numCachedPartitions()).sum();
  }

  @Test
  void anySlotRddKeepsItsParentsPartitionsAndPrefersNoExecutor() throws Exception {
    JavaPairRDD<Integer, Integer> parent = jsc.parallelize(List.of(0, 1, 2, 3, 4, 5, 6, 7), 4)
        .mapToPair(i -> new Tuple2<>(i, i * i)).partitionBy(new HashPartitioner(2))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Set<Tuple2<Integer, Integer>>> expected = byPartition(parent.rdd());
      RDD<Tuple2<Integer, Integer>> any = AnySlotRDD.of(
          JavaRDD.fromRDD(parent.rdd(), parent.classTag()));

      assertEquals(2, any.getNumPartitions());
      assertEquals(parent.rdd().partitioner(), any.partitioner());
      for (int p = 0; p < 2; p++) {
        assertFalse(spark.sparkContext().getPreferredLocs(parent.rdd(), p).isEmpty(),
            "the cached partition " + p + " has a place");
        assertTrue(spark.sparkContext().getPreferredLocs(any, p).isEmpty(),
            "a task reading partition " + p + " prefers no place");
      }
      // A partition lost from the cache is computed again from the shuffle before it.
      SparkEnv.get().blockManager().master().removeBlock(new RDDBlockId(parent.id(), 0));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (cachedPartitions(parent.id()) != 1) {
        assertTrue(System.nanoTime() < deadline, "partition 0 is still cached after 30 s");
        Thread.sleep(20);
      }
      assertEquals(expected, byPartition(any));
    } finally {
      parent.unpersist(true);
    }
  }
}
