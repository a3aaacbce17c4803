package io.sparkps.spark;

import io.sparkps.config.ClusterConfig;
import io.sparkps.config.Framework;
import io.sparkps.config.InvalidConfigException;
import io.sparkps.config.PsConf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Elastic workers ({@code spark.ps.elasticWorkers}): the training runs one ordinary Spark stage
 * per epoch, whose tasks are (shard, epoch) units, one per data shard, with more shards than
 * task slots. Spark hands the pending units of a stage to whichever executor has a free slot,
 * so an executor added during the fit starts training as soon as it registers, and runs again
 * the units of an executor that is lost or decommissioned; a unit run again resumes at its
 * shard's first step not applied, which every slice records per worker group (one shard is one
 * group), so every step is applied once.
 *
 * <p>A stage per epoch, rather than one task per shard for all epochs: with more shards than
 * slots, tasks that ran every epoch of their shard would train the shards in waves, all epochs
 * of the first shards before any step of the last ones, and the model would drift towards the
 * shards of each wave in turn. Here every epoch passes over all the data before the next
 * begins, as in sequential SGD; within an epoch, as many shards train at once as there are
 * slots. The price is a short wait at the end of each epoch for its slowest unit, and a shard
 * read from the cache once per epoch (from another executor when its block is there).
 */
final class ElasticEpochs {
  private ElasticEpochs() {}

  /**
   * Whether the fit's workers are elastic.
   *
   * @throws InvalidConfigException naming spark.ps.elasticWorkers when they are asked for with
   *     a topology whose workers must all run at once
   */
  static boolean check(PsConf conf, ClusterConfig topology, Framework framework) {
    if (!conf.get(PsConf.ELASTIC_WORKERS)) {
      return false;
    }
    String why = null;
    if (!topology.serverWorkerSeparate()) {
      why = framework.cliName() + " hosts its servers in its worker tasks (co-located"
          + " servers), which run as one barrier stage for the whole fit";
    } else if (framework == Framework.SANDBLASTER || topology.synchronousGroups()) {
      why = (framework == Framework.SANDBLASTER ? "sandblaster trains one synchronous group"
          : "numWorkersPerGroup=" + topology.nWorkersPerGroup() + " makes synchronous groups")
          + ": the workers of a synchronous group make every step together, so a group keeps"
          + " its size for the whole fit and all its workers run at once";
    } else if (topology.staleness() != ClusterConfig.UNBOUNDED_STALENESS
        && topology.nWorkerGroups() > 1) {
      why = "staleness=" + topology.staleness() + ": under a staleness bound a worker group"
          + " that has not started holds the others back, so every group runs at once";
    }
    if (why != null) {
      throw new InvalidConfigException(PsConf.ELASTIC_WORKERS.key(),
          PsConf.ELASTIC_WORKERS.key() + "=true, but " + why + ". Elastic workers need"
          + " asynchronous worker groups of one worker each with separate servers: use"
          + " downpour with numWorkersPerGroup=1 and unbounded staleness, or unset "
          + PsConf.ELASTIC_WORKERS.key());
    }
    return true;
  }

  /** Shards (worker groups) when numWorkers does not say: a few per task slot there is now. */
  static int defaultShards(int slots) {
    return PsConf.ELASTIC_SHARDS_PER_SLOT * Math.max(1, slots);
  }

  /**
   * Each worker's result over the fit, from the results of its units, {@code byEpoch.get(e)}
   * holding the units of epoch e. A worker's steps are those its units ran; its firstStep the
   * steps of its units that an earlier attempt had applied (0 when no unit ran again), so that
   * the two add up to every step of the shard; its step times are the seconds of its own
   * training loops, the units one after the other.
   */
  static List<WorkerResult> merge(List<List<WorkerResult>> byEpoch, int stepsPerEpoch) {
    return merge(byEpoch, stepsPerEpoch, byEpoch.size());
  }

  /**
   * As {@link #merge(List, int)}, for a fit of {@code maxEpochs} epochs that the epoch-end gate
   * may have stopped early: the per-epoch and per-step arrays cover every epoch, NaN for the
   * ones not trained.
   */
  static List<WorkerResult> merge(List<List<WorkerResult>> byEpoch, int stepsPerEpoch,
      int maxEpochs) {
    int shards = byEpoch.get(0).size();
    int epochs = byEpoch.size();
    List<WorkerResult> merged = new ArrayList<>(shards);
    for (int w = 0; w < shards; w++) {
      double[] epochLoss = new double[maxEpochs];
      double[] stepLoss = new double[maxEpochs * stepsPerEpoch];
      double[] stepSeconds = new double[stepLoss.length];
      Arrays.fill(epochLoss, Double.NaN);
      Arrays.fill(stepLoss, Double.NaN);
      long steps = 0;
      long skipped = 0;
      long examples = 0;
      double seconds = 0;
      long maxLead = 0;
      double batch = 0;
      double pull = 0;
      double compute = 0;
      double push = 0;
      int group = -1;
      for (int e = 0; e < epochs; e++) {
        WorkerResult u = unitOf(byEpoch.get(e), w);
        group = u.group();
        epochLoss[e] = u.epochLoss()[e];
        for (int i = e * stepsPerEpoch; i < (e + 1) * stepsPerEpoch; i++) {
          stepLoss[i] = u.stepLoss()[i];
          stepSeconds[i] = seconds + u.stepSeconds()[i];
        }
        steps += u.steps();
        skipped += u.firstStep();
        examples += u.examples();
        seconds += u.seconds();
        maxLead = Math.max(maxLead, u.maxLead());
        batch += u.phases().batchSeconds();
        pull += u.phases().pullSeconds();
        compute += u.phases().computeSeconds();
        push += u.phases().pushSeconds();
      }
      merged.add(new WorkerResult(w, group, steps, skipped, examples, epochLoss, stepLoss,
          stepSeconds, seconds, maxLead,
          new TrainingSummary.StepPhases(batch, pull, compute, push), null, Double.NaN, null));
    }
    return merged;
  }

  private static WorkerResult unitOf(List<WorkerResult> units, int worker) {
    for (WorkerResult u : units) {
      if (u.worker() == worker) {
        return u;
      }
    }
    throw new IllegalStateException("no result of worker " + worker + " in " + units.size()
        + " units of an epoch");
  }
}
