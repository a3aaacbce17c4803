package io.sparkps.spark;

import io.sparkps.client.ClusterInfo;
import io.sparkps.client.ParamLayout;
import io.sparkps.client.ParamSet;
import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.client.SparseParamSet;
import io.sparkps.client.Stub;
import io.sparkps.cluster.AddressExchange;
import io.sparkps.cluster.HostedServer;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.model.Batch;
import io.sparkps.model.ExampleBlock;
import io.sparkps.model.RowSparse;
import io.sparkps.model.TrainableModel;
import io.sparkps.spark.TrainingSummary.StepPhases;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.Connection;
import io.sparkps.transport.CreateSlice;
import io.sparkps.transport.LocalEndpoints;
import io.sparkps.transport.Secret;
import io.sparkps.transport.SliceSetup;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one worker: a Spark task over one partition that trains against the servers.
 *
 * <p>Each step: compute the mean gradient of a mini-batch with the model, push it slice by slice
 * as the sum over the batch with the example count, and take the values the servers answer with
 * as the parameters of the next step. In a synchronous group those answers come only once every
 * worker of the group pushed the step, which keeps the group in lock step; under a staleness
 * bound they come only once the slowest group is close enough. Every worker runs the same
 * number of steps, wrapping around a smaller partition.
 *
 * <p>With elastic workers ({@link ElasticEpochs}) a task trains one epoch of its partition:
 * it passes over the epochs before it as a task that resumes does, then stops.
 *
 * <p>The task reports its progress to the driver ({@link FitReporter}) as it goes, and, in
 * a fit with an epoch-end gate, waits for the driver's decision after every epoch.
 *
 * <p>The model's native math runs on as many threads as Spark gave the task ({@link
 * Nd4jThreads}).
 *
 * <p>With co-located servers the task also hosts its server for the length of the stage: the
 * tasks (a barrier stage) tell the driver where their servers listen and learn where all do
 * ({@link AddressExchange}, answered as soon as the last task told), worker 0 creates the
 * params, all train, then worker 0 syncs the copies and gathers the result before the servers
 * stop. Between these phases the workers wait for each other at a rendezvous slice on server 0.
 */
final class TrainingTask
    extends AbstractFunction1<Iterator<LabeledExample>, Iterator<WorkerResult>>
    implements Serializable {
  /** Where the workers of a co-located stage meet: one float on server 0, param id 0. */
  private static final SliceInfo RENDEZVOUS = new SliceInfo(-1, 0, 0, 0, 1, 0);


  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(TrainingTask.class);

  private final TrainingPlan plan;
  /** The run of the training stage this task belongs to: 0, then 1, ... when re-run. */
  private final int attempt;
  /** The one epoch this task trains (elastic workers, {@link ElasticEpochs}), or -1: all. */
  private final int onlyEpoch;

  TrainingTask(TrainingPlan plan, int attempt) {
    this(plan, attempt, -1);
  }

  TrainingTask(TrainingPlan plan, int attempt, int epoch) {
    this.plan = plan;
    this.attempt = attempt;
    this.onlyEpoch = epoch;
  }

  /** The model's initial values, without whole arrays when they are zeros. */
  static ParamLayout.InitialValues initialValues(TrainableModel model, int numFeatures,
      long seed) {
    return model.zeroInitialized() ? ParamLayout.InitialValues.zeros()
        : ParamLayout.InitialValues.from(model.initialValues(numFeatures, new Random(seed)));
  }

  @Override
  public Iterator<WorkerResult> apply(Iterator<LabeledExample> partition) {
    int worker = TaskContext.getPartitionId();
    ExampleBlock[] blocks = LabeledExample.blocks(partition, plan.numFeatures());
    WorkerResult result;
    TaskContext ctx = TaskContext.get();
    try (Nd4jThreads threads = Nd4jThreads.limit(ctx.cpus());
        TaskWatch watch = TaskWatch.of(ctx);
        FitReporter reporter = FitReporter.open(plan.channel(), plan.cluster(),
            AddressExchange.run(ctx.stageId(), ctx.stageAttemptNumber()), worker,
            ctx.attemptNumber())) {
      if (plan.colocated()) {
        result = colocated(worker, blocks[0], blocks[1], reporter);
      } else {
        try (PsClient client = PsClient.connect(plan.cluster())) {
          result = train(client, worker, blocks[0], blocks[1], reporter);
        }
      }
    }
    return CollectionConverters.asScala(List.of(result).iterator());
  }

  private WorkerResult colocated(int worker, ExampleBlock data, ExampleBlock heldOut,
      FitReporter reporter) {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    ClusterInfo base = plan.cluster();
    String host = ctx.getTaskInfos()[worker].address().replaceFirst(":[0-9]+$", "");
    int serverId = plan.hostedServer(worker);
    HostedServer hosted = serverId < 0 ? null : HostedServer.start(serverId, host,
        Secret.fromHex(base.secretHex()), plan.ioThreads(), base.maxFrameBytes(),
        base.timeoutMs(), base.encrypted());
    try {
      if (serverId == 0) {
        createRendezvous(hosted, base.timeoutMs());
      }
      List<InetSocketAddress> servers = AddressExchange.exchange(plan.exchange(),
          AddressExchange.run(ctx.stageId(), ctx.stageAttemptNumber()), worker, serverId,
          hosted == null ? null : hosted.address(), Secret.fromHex(base.secretHex()),
          base.maxFrameBytes(), base.encrypted(), base.timeoutMs());
      ClusterInfo info = base.withServers(servers);
      try (PsClient client = PsClient.connect(info)) {
        if (worker == 0) {
          plan.layout().createAll(client,
              initialValues(plan.model(), plan.numFeatures(), plan.seed()), plan.optimizer(),
              servers);
        }
        rendezvous(client, worker, 0);
        WorkerResult result = train(client, worker, data, heldOut, reporter);
        rendezvous(client, worker, 1);
        if (worker == 0) {
          // The best epoch's values when early stopping kept a copy, else the final ones.
          io.sparkps.client.ParamValues values = result.params() != null ? result.params()
              : masters(client);
          result = result.gathered(values, plan.layout().maxCopyDivergence(client),
              plan.layout().updatesAndShares(client));
        }
        rendezvous(client, worker, 2);
        return result;
      }
    } finally {
      if (hosted != null) {
        hosted.close();
      }
    }
  }

  /**
   * Creates the rendezvous slice on server 0 before the addresses are exchanged, so that it
   * exists by the time any worker knows where server 0 is. Model params start at id 1.
   */
  private void createRendezvous(HostedServer server0, long timeoutMs) {
    Connection local = LocalEndpoints.connect(server0.address())
        .orElseThrow(() -> new IllegalStateException("server 0 is not registered in this JVM"));
    try {
      PsClient.await(local.request(id -> new CreateSlice(id, RENDEZVOUS.paramId(),
          RENDEZVOUS.sliceId(), OptimizerConfig.sgd(1f),
          SliceSetup.single(plan.topology().totalWorkers()), new float[RENDEZVOUS.length()])),
          timeoutMs);
    } finally {
      local.close();
    }
  }

  /**
   * Returns once every worker of the stage has reached rendezvous {@code round}: each pushes an
   * empty share of step {@code round} to the rendezvous slice, which completes the step, and
   * answers, only when all workers' shares are in. Spark's {@code BarrierTaskContext.barrier()}
   * would do the same but checks for completion once a second.
   */
  private void rendezvous(PsClient client, int worker, long round) {
    PsClient.await(client.push(RENDEZVOUS, Share.of(round, 0, worker, 0),
        new float[RENDEZVOUS.length()]), client.timeoutMs());
  }

  /** Every param's master copy, once every other copy's change reached it. */
  private io.sparkps.client.ParamValues masters(PsClient client) {
    plan.layout().flushAll(client);
    return plan.layout().pullMasters(client, rowSparse());
  }

  /** Which params the gathered model keeps row-sparse: the wide ones, in sparse training. */
  boolean[] rowSparse() {
    return plan.sparse() ? plan.byFeature() : new boolean[plan.byFeature().length];
  }

  /**
   * @param heldOut the partition's validation rows, evaluated at every epoch's end when the fit
   *     has a validation set
   */
  private WorkerResult train(PsClient client, int worker, ExampleBlock data,
      ExampleBlock heldOut, FitReporter reporter) {
    long start = System.nanoTime();
    int group = worker / plan.topology().nWorkersPerGroup();
    int steps = plan.stepsPerEpoch();
    StepBatches batches = new StepBatches(data, plan.batchSize(), steps, plan.shuffle(),
        new Random(plan.seed() * 31 + worker));
    long total = (long) plan.epochs() * steps;
    // This task's steps: all, or those of its one epoch; the epochs before it are passed over
    // (their shuffles included) so that its batches are the ones a single task would use.
    long from = onlyEpoch < 0 ? 0 : (long) onlyEpoch * steps;
    long until = onlyEpoch < 0 ? total : from + steps;
    TimedStep stepper = plan.sparse() ? sparseStepper(client, worker, group, until)
        : denseStepper(client, worker, group);
    int lastEpoch = onlyEpoch < 0 ? plan.epochs() : onlyEpoch + 1;
    long first = Math.min(Math.max(stepper.firstStep(), from), until);
    if (first > from) {
      LOG.info("spark-ps worker {} (group {}, run {} of the stage{}): steps {}..{} of {} are "
          + "applied already, resuming at step {}", worker, group, attempt + 1,
          onlyEpoch < 0 ? "" : ", epoch " + (onlyEpoch + 1), from, first - 1, total, first);
    }
    CheckpointTrigger checkpoints = CheckpointTrigger.of(plan, client, worker);
    double[] epochLoss = new double[plan.epochs()];
    double[] stepLoss = new double[plan.epochs() * steps];
    double[] stepSeconds = new double[plan.epochs() * steps];
    java.util.Arrays.fill(epochLoss, Double.NaN);
    java.util.Arrays.fill(stepLoss, Double.NaN);
    int size = batches.examples();
    long examples = 0;
    long step = 0;
    long maxLead = 0;
    io.sparkps.client.ParamValues kept = null;
    try {
      for (int epoch = 0; epoch < lastEpoch; epoch++) {
        double lossSum = 0;
        long lossExamples = 0;
        long epochSteps = 0;
        for (int s = 0; s < steps; s++) {
          if (step < first) {
            // Applied by an earlier run of this worker: same data order, nothing to send.
            stepLoss[(int) step] = Double.NaN;
            step++;
            continue;
          }
          checkpoints.beforeStep(step, stepper::settle);
          double loss = stepper.step(step, size, batches);
          stepLoss[(int) step] = size == 0 ? Double.NaN : loss;
          stepSeconds[(int) step] = (System.nanoTime() - start) / 1e9;
          step++;
          maxLead = Math.max(maxLead, step - stepper.minClock());
          lossSum += loss * size;
          lossExamples += size;
          examples += size;
          epochSteps++;
          reporter.stepped(epoch, epochSteps, lossExamples, lossSum, size, loss);
        }
        epochLoss[epoch] = lossExamples == 0 ? Double.NaN : lossSum / lossExamples;
        // An epoch that ended just where this task resumed may not have passed the gate: it
        // passes it again (an epoch decided already is answered with its decision).
        boolean gated = plan.channel().gated() && step >= first && step > from;
        if (step <= first && !gated) {
          continue;
        }
        // The gate decides before the epoch's end is reported, so that the listeners' event
        // for it carries the decision's validation figures.
        EpochDecision decision = EpochDecision.GO_ON;
        if (gated) {
          stepper.settle();
          // Evaluated with the values the worker holds once the epoch's last step is answered.
          decision = reporter.gate(epoch, plan.validation()
              ? ValidationFigures.of(plan.model(), heldOut, stepper::scoring)
              : epochFigures(lossSum, lossExamples));
          if (decision.best() && plan.colocated() && worker == 0) {
            // Co-located servers: the worker that gathers the params keeps the best epoch's.
            kept = masters(client);
          }
        }
        if (step > first) {
          reporter.epochEnded(epoch, epochSteps, lossExamples, lossSum);
          double elapsed = (System.nanoTime() - start) / 1e9;
          LOG.info("spark-ps worker {} (group {}): epoch {}/{}, loss {}, {} examples/s", worker,
              group, epoch + 1, plan.epochs(), String.format("%.5f", epochLoss[epoch]),
              String.format("%.0f", examples / Math.max(elapsed, 1e-9)));
        }
        if (!decision.goOn()) {
          LOG.info("spark-ps worker {}: the driver stops the training after epoch {}", worker,
              epoch + 1);
          break;
        }
      }
      stepper.settle();
      checkpoints.finish();
    } finally {
      stepper.close();
    }
    StepPhases phases = new StepPhases(stepper.batchNanos() / 1e9, stepper.pullNanos() / 1e9,
        stepper.computeNanos() / 1e9, stepper.pushNanos() / 1e9);
    return new WorkerResult(worker, group, step - first, first - from, examples, epochLoss,
        stepLoss, stepSeconds, (System.nanoTime() - start) / 1e9, maxLead, phases, kept,
        Double.NaN, null);
  }

  /**
   * What this worker sends the epoch-end gate after an epoch: its examples and loss sum of
   * the epoch, and a 1 that sums to the number of workers.
   */
  private static double[] epochFigures(double lossSum, long lossExamples) {
    return new double[] {lossExamples, lossSum, 1};
  }

  /**
   * Whole params on every worker; gradients of a group's workers in a JVM go through the stub.
   * With more than one step in flight, a step is computed from the values of the answers that
   * have arrived, and the worker waits only when the window is full (time counted as pull: the
   * wait for values).
   */
  private TimedStep denseStepper(PsClient client, int worker, int group) {
    ParamSet params = new ParamSet(plan.layout().copyOf(plan.layout().serverGroupOf(group)));
    int localShares = plan.localAggregation() ? localWorkersOfGroup(worker, group) : 1;
    // A stage run again must not sum with what a cancelled run left in this JVM's stub.
    Stub stub = Stub.join(plan.trainingId() * 31 + attempt);
    float[][] gradients = new float[params.values().length][];
    for (int i = 0; i < gradients.length; i++) {
      gradients[i] = new float[params.values()[i].length];
    }
    boolean synchronous = plan.topology().synchronousGroups();
    long first = params.resume(client, group, attempt, synchronous);
    if (params.inexactSlices() > 0) {
      LOG.warn("spark-ps worker {} (group {}): {} slices no longer hold the values at the start "
          + "of step {}, which they applied before the stage stopped; this step's gradient is "
          + "computed from their values after it", worker, group, params.inexactSlices(), first);
    }
    int window = plan.maxInFlight();
    InFlightLimit limit = new InFlightLimit(window);
    long timeoutMs = client.timeoutMs();
    return new TimedStep() {
      @Override
      long firstStep() {
        return first;
      }

      @Override
      double step(long step, int examples, StepBatches batches) {
        begin();
        Batch batch = batches.current(step);
        batched();
        if (window > 1) {
          params.steps().takeArrived(timeoutMs);
          int size = limit.size(params.steps().minRoundTripNanos());
          while (params.steps().size() >= size) {
            params.steps().awaitOldest(timeoutMs);
          }
        }
        pulled();
        Share share = Share.of(step, group, worker, examples);
        float stepSize = plan.optimizer().learningRate();
        if (window == 1) {
          // Each param goes out as soon as backprop finishes it, the last layers' first.
          ParamSet.Push push = params.push(client, stub, localShares, share);
          double loss = plan.model().gradient(batch, params.values(), gradients, p -> {
            scale(gradients[p], examples);
            Divergence.checkGradient(p, gradients[p], step, worker, stepSize);
            push.param(p, gradients[p]);
          });
          Divergence.checkLoss(loss, step, worker, stepSize);
          computed();
          push.finish();
          pushed();
          return loss;
        }
        long start = System.nanoTime();
        double loss = plan.model().gradient(batch, params.values(), gradients);
        limit.computed(System.nanoTime() - start);
        scale(gradients, examples);
        Divergence.check(loss, gradients, step, worker, stepSize);
        computed();
        params.send(client, stub, localShares, share, gradients);
        pushed();
        return loss;
      }

      @Override
      void settle() {
        params.steps().awaitAll(timeoutMs);
      }

      @Override
      long minClock() {
        return params.minClock();
      }

      @Override
      ValidationFigures.Scoring scoring(Batch chunk) {
        return new ValidationFigures.Scoring(chunk, params.values());
      }

      @Override
      public void close() {
        stub.leave();
      }
    };
  }

  /**
   * Only the rows of the features a batch touches travel, for params indexed by feature. With
   * more than one step in flight, the rows of the next {@code maxInFlight - 1} batches are asked
   * for ahead, so that a step finds its rows arrived, and pushes are left in flight.
   *
   * @param until the step after this task's last, which it asks no rows for
   */
  private TimedStep sparseStepper(PsClient client, int worker, int group, long until) {
    SparseParamSet params = new SparseParamSet(
        plan.layout().copyOf(plan.layout().serverGroupOf(group)), plan.byFeature());
    long first = params.resume(client, group, attempt);
    params.pullWhole(client);
    int window = plan.maxInFlight();
    InFlightLimit limit = new InFlightLimit(window);
    long timeoutMs = client.timeoutMs();
    record Ahead(long step, RowSparse.Compacted batch, SparseParamSet.Rows rows) {}
    java.util.ArrayDeque<Ahead> ahead = new java.util.ArrayDeque<>();
    return new TimedStep() {
      private long asked = -1;

      @Override
      long firstStep() {
        return first;
      }

      @Override
      double step(long step, int examples, StepBatches batches) {
        begin();
        if (asked < step) {
          ahead.clear();
          asked = step - 1;
        }
        batches.current(step);
        int size = limit.size(params.steps().minRoundTripNanos());
        while (asked < Math.min(step + size - 1, until - 1)) {
          asked++;
          RowSparse.Compacted compacted = RowSparse.compact(batches.at(asked));
          ahead.addLast(new Ahead(asked, compacted,
              params.prefetch(client, compacted.features())));
        }
        Ahead mine = ahead.removeFirst();
        batched();
        if (window > 1) {
          params.steps().takeArrived(timeoutMs);
          while (params.steps().size() >= size) {
            params.steps().awaitOldest(timeoutMs);
          }
        }
        float[][] values = params.values(mine.rows(), timeoutMs);
        pulled();
        float[][] gradients = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
          gradients[i] = new float[values[i].length];
        }
        long start = System.nanoTime();
        double loss = plan.model().gradient(mine.batch().batch(), values, gradients);
        limit.computed(System.nanoTime() - start);
        scale(gradients, examples);
        Divergence.check(loss, gradients, step, worker, plan.optimizer().learningRate());
        computed();
        params.send(client, Share.of(step, group, worker, examples), mine.rows().features(),
            gradients);
        if (window == 1) {
          params.steps().awaitAll(timeoutMs);
        }
        pushed();
        return loss;
      }

      @Override
      void settle() {
        params.steps().awaitAll(timeoutMs);
      }

      @Override
      long minClock() {
        return params.minClock();
      }

      @Override
      ValidationFigures.Scoring scoring(Batch chunk) {
        RowSparse.Compacted compacted = RowSparse.compact(chunk);
        return new ValidationFigures.Scoring(compacted.batch(),
            params.values(params.prefetch(client, compacted.features()), timeoutMs));
      }
    };
  }

  /**
   * Workers of {@code group} that run in this executor JVM (this one included): known only in
   * a barrier stage, which every synchronous group runs in; otherwise 1.
   */
  private int localWorkersOfGroup(int worker, int group) {
    BarrierTaskContext ctx = plan.topology().nWorkersPerGroup() > 1
        ? BarrierTaskContext.get() : null;
    if (ctx == null) {
      return 1;
    }
    org.apache.spark.BarrierTaskInfo[] infos = ctx.getTaskInfos();
    int perGroup = plan.topology().nWorkersPerGroup();
    int count = 0;
    for (int p = group * perGroup; p < (group + 1) * perGroup && p < infos.length; p++) {
      if (infos[p].address().equals(infos[worker].address())) {
        count++;
      }
    }
    return Math.max(1, count);
  }

  private static void scale(float[][] arrays, float factor) {
    for (float[] a : arrays) {
      scale(a, factor);
    }
  }

  private static void scale(float[] a, float factor) {
    for (int i = 0; i < a.length; i++) {
      a[i] *= factor;
    }
  }
}
