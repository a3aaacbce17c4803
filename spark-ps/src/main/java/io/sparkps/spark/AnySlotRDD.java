package io.sparkps.spark;

import java.util.List;
import org.apache.spark.Dependency;
import org.apache.spark.NarrowDependency;
import org.apache.spark.Partition;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import scala.Option;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The partitions of a parent RDD, read by tasks that Spark starts on any free task slot: the
 * training stage's view of its cached examples, so that every worker starts at once whatever
 * {@code spark.locality.wait} is.
 *
 * <p>Over the cached RDD itself, each task of the training stage would prefer the executor
 * holding its partition, and Spark would keep it waiting for that executor's slot for up to
 * {@code spark.locality.wait} (3 s by default) while other executors sit idle: the workers of
 * an ordinary stage then run one after the other where the data is, and a barrier stage starts
 * only once the wait is over. Here a task has no preference, and a worker whose partition is
 * cached on another executor reads it from there, once per task.
 *
 * <p>The dependency on the parent stays narrow, so the stage is the parent's stage (no
 * shuffle), and a partition missing from the cache (its executor was lost) is computed again
 * through the parent's lineage, shuffle stages before it included. But it names no parent
 * partition ({@link Unplaced#getParents}), which Spark 4.1 reads for one thing only: to place
 * a task where its parents' partitions are ({@code DAGScheduler.getPreferredLocsInternal}).
 * A dependency that is neither narrow nor shuffle, which that code skips as well, is no
 * option: the scheduler's search for missing parent stages ({@code getMissingParentStages})
 * knows only those two kinds, fails with a {@code MatchError} on any other, and so stops the
 * SparkContext.
 */
final class AnySlotRDD<T> extends RDD<T> {
  private RDD<T> parent;
  private final Option<Partitioner> partitioning;

  private AnySlotRDD(RDD<T> parent, scala.reflect.ClassTag<T> tag) {
    super(parent.context(), seqOf(new Unplaced<>(parent)), tag);
    this.parent = parent;
    this.partitioning = parent.partitioner();
  }

  /** {@code parent}'s partitions, partitioning and elements, read from any free slot. */
  static <T> RDD<T> of(JavaRDD<T> parent) {
    return new AnySlotRDD<>(parent.rdd(), parent.classTag());
  }

  private static Seq<Dependency<?>> seqOf(Dependency<?> dependency) {
    return CollectionConverters.asScala(List.<Dependency<?>>of(dependency)).toList();
  }

  @Override
  public Iterator<T> compute(Partition split, TaskContext context) {
    // The cached block, from this executor or the one holding it, else computed again.
    return parent.iterator(split, context);
  }

  @Override
  public Partition[] getPartitions() {
    return parent.partitions();
  }

  @Override
  public Option<Partitioner> partitioner() {
    return partitioning;
  }

  @Override
  public void clearDependencies() {
    super.clearDependencies();
    parent = null;
  }

  /** Partition i of the child reads partition i of the parent; none of it places the task. */
  private static final class Unplaced<T> extends NarrowDependency<T> {
    Unplaced(RDD<T> parent) {
      super(parent);
    }

    @Override
    public Seq<Object> getParents(int partitionId) {
      return scala.collection.immutable.List$.MODULE$.empty();
    }
  }
}
