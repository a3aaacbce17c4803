package io.sparkps.spark;

import io.sparkps.client.ParamLayout;
import io.sparkps.cluster.PsCluster;
import io.sparkps.config.CheckpointInterval;
import io.sparkps.config.ClusterConfig;
import io.sparkps.config.InvalidConfigException;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.PsConf;
import io.sparkps.config.PsException;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.Slicer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of one fit's checkpoints: the settings (PSTrainer params over {@code
 * spark.ps.checkpoint.*} keys), checked before any process starts; the latest committed
 * checkpoint of the directory, checked to be of this fit's model; the params created from it
 * (or afresh); and the plan worker 0 follows to write new ones.
 */
final class FitCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(FitCheckpoints.class);

  private final String dir;
  private final String setting;
  private final CheckpointInterval interval;
  private final Configuration hadoop;
  private CheckpointManifest identity;
  private CheckpointStore.Committed resume;

  private FitCheckpoints(String dir, String setting, CheckpointInterval interval,
      Configuration hadoop) {
    this.dir = dir;
    this.setting = setting;
    this.interval = interval;
    this.hadoop = hadoop;
  }

  /** spark.ps.slicesPerServer: the slicing a checkpoint's slice files follow. */
  private int slicesPerServer = 1;

  /**
   * The fit's checkpoint settings, checked: only separate servers in one server group write
   * checkpoints, and the directory must be one Hadoop can reach.
   *
   * @throws InvalidConfigException naming the setting to change
   */
  static FitCheckpoints resolve(PSTrainer trainer, Map<String, String> settings,
      ClusterConfig topology, Configuration hadoop) {
    PsConf conf = new PsConf(settings);
    boolean param = !trainer.getCheckpointDir().isBlank();
    String dir = param ? trainer.getCheckpointDir().trim() : conf.get(PsConf.CHECKPOINT_DIR);
    String setting = param ? "checkpointDir" : PsConf.CHECKPOINT_DIR.key();
    CheckpointInterval interval;
    if (trainer.getCheckpointInterval().isBlank()) {
      interval = conf.get(PsConf.CHECKPOINT_INTERVAL);
    } else {
      try {
        interval = CheckpointInterval.parse(trainer.getCheckpointInterval());
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("checkpointInterval", "checkpointInterval='"
            + trainer.getCheckpointInterval() + "': must be " + CheckpointInterval.FORMS, e);
      }
    }
    FitCheckpoints c = new FitCheckpoints(dir, setting, interval, hadoop);
    c.slicesPerServer = conf.get(PsConf.SLICES_PER_SERVER);
    if (dir.isEmpty()) {
      return c;
    }
    if (!topology.serverWorkerSeparate()) {
      throw new InvalidConfigException(setting, setting + "=" + dir + ", but co-located "
          + "servers (allreduce, hogwild, inmemory-hogwild) live only as long as their "
          + "training stage and write no checkpoints: use sandblaster or downpour, or unset "
          + setting);
    }
    if (topology.nServerGroups() > 1) {
      throw new InvalidConfigException(setting, setting + "=" + dir + " with "
          + topology.nServerGroups() + " server groups: checkpoints are written from one "
          + "server group; set " + PsConf.NUM_SERVER_GROUPS.key() + "=1 or unset " + setting);
    }
    try {
      new CheckpointStore(dir, hadoop);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new InvalidConfigException(setting, setting + "=" + dir + ": Hadoop has no "
          + "FileSystem for it (" + (e.getCause() != null ? e.getCause() : e) + ")", e);
    }
    return c;
  }

  boolean enabled() {
    return !dir.isEmpty();
  }

  /**
   * Finds the latest committed checkpoint and checks that it is of this fit's model; called
   * before any server starts.
   *
   * @throws InvalidConfigException saying what differs, when it is another model's
   */
  void check(TrainableModel model, int numFeatures, ClusterConfig topology,
      OptimizerConfig optimizer, int batchSize) {
    if (!enabled()) {
      return;
    }
    identity = CheckpointManifest.identityOf(model, Slicer.slice(model.params(numFeatures),
        topology.nServersPerGroup(), 1, slicesPerServer), topology, optimizer, batchSize);
    try {
      resume = new CheckpointStore(dir, hadoop).latest().orElse(null);
    } catch (IOException | IllegalArgumentException e) {
      throw new PsException("could not read the checkpoints in " + setting + "=" + dir + ": "
          + e, e);
    }
    if (resume == null) {
      return;
    }
    String differs = resume.manifest().differences(identity);
    if (differs != null) {
      throw new InvalidConfigException(setting, "the checkpoint in " + resume.dir()
          + " (step " + resume.manifest().step() + ") was written for " + differs
          + ": this fit cannot resume from it; point " + setting + " at another directory, "
          + "or delete that one to start afresh");
    }
  }

  /** Creates the params on the servers: from the latest checkpoint, or afresh. */
  void createParams(PsCluster cluster, ParamLayout layout, ParamLayout.InitialValues initial,
      OptimizerConfig optimizer) {
    if (resume == null) {
      cluster.createParams(layout, initial, optimizer);
      return;
    }
    LOG.info("Resuming from checkpoint step {} in {}", resume.manifest().step(), resume.dir());
    cluster.restoreParams(layout, s -> resume.dir() + "/" + resume.manifest().fileOf(s),
        optimizer);
  }

  /** What worker 0 needs to write this fit's checkpoints, or null without checkpoints. */
  CheckpointPlan plan(long trainingId) {
    return enabled() ? new CheckpointPlan(dir, interval, Long.toHexString(trainingId),
        identity, CheckpointStore.serialize(hadoop)) : null;
  }

  /** The step the fit resumed from, or null. */
  Long resumedFromStep() {
    return resume == null ? null : resume.manifest().step();
  }
}
