package io.sparkps.server;

import io.sparkps.server.optim.Optimizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sparkps.transport.Failure;
import io.sparkps.transport.FloatPayload;
import io.sparkps.transport.InstallSlice;
import io.sparkps.transport.Replicate;
import io.sparkps.transport.Resume;
import io.sparkps.transport.Resumed;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.Update;
import io.sparkps.transport.ValuesFrames;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One slice on a server: its values, version, optimizer state and every group's next step,
 * the answers held back by the staleness bound and the GETs waiting for a version. What else a
 * slice keeps has a class of its own, used under the slice's lock: the shares of open steps
 * ({@link StepShares}), its place in replication ({@link Replica}), the sync of a copy that is
 * not the master ({@link MasterSync}) and its counters ({@link SliceCounters}). All methods
 * lock the slice; answers and sync sends happen outside the lock, through {@link Effects}.
 *
 * <p>Replication: a slice is held as the primary, which serves workers, or as a backup, which
 * only applies the steps its primary forwards ({@link #applyReplicated}). A primary forwards
 * each step it applies, while still locked so that steps leave in order, and the step's
 * answers wait until every backup has it ({@link Effects#replicated()}). Every group's next
 * step is recorded with the values, so a share of a step already applied — resent to a new
 * primary after a failover — is answered but never applied again.
 *
 * <p>A group's steps are applied in order. A share of a step past the group's next one (a
 * worker keeps several steps in flight, and after a failover they are resent in no particular
 * order) waits with the open steps until the steps before it are applied.
 */
final class SliceState {
  /** Serves workers, or takes forwarded steps only. */
  enum Role { PRIMARY, BACKUP }

  /**
   * Where a primary's applied steps go. Called with the slice locked, so it must encode the
   * step before returning; the future completes once every backup has applied it, or fails
   * with {@link BackupFailure}.
   */
  interface Forwarder {
    CompletableFuture<Void> forward(Replicate step);

    /** The backups' server ids: the servers a step's answers wait for. */
    java.util.Set<Integer> backups();

    /** Every server steps go to: the backups, and learners (servers the slice moves to). */
    default java.util.Set<Integer> followers() {
      return backups();
    }

    /**
     * Completes once every step and copy sent so far is on every follower; exceptionally when
     * one of them did not take one.
     */
    default CompletableFuture<Void> drained() {
      return CompletableFuture.completedFuture(null);
    }

    /** Completes once every step and copy sent so far was answered, taken or not. */
    default CompletableFuture<Void> settled() {
      return drained().handle((v, e) -> null);
    }
  }

  /** A backup did not take a forwarded step: it refused it, or could not be reached. */
  static final class BackupFailure extends RuntimeException {
    final int backup;
    final boolean refused;

    BackupFailure(int backup, boolean refused, Throwable cause) {
      super("backup " + backup + (refused ? " refused the step: " : " unreachable: ")
          + cause.getMessage(), cause);
      this.backup = backup;
      this.refused = refused;
    }
  }

  /** The slice is not served here as primary: the worker should ask the coordinator. */
  static final class NotPrimaryException extends RuntimeException {
    /** The slice is switching to another server, whose map is about to be published. */
    final boolean moving;

    NotPrimaryException(String message) {
      this(message, false);
    }

    NotPrimaryException(String message, boolean moving) {
      super(message);
      this.moving = moving;
    }
  }

  /** Somebody waiting for the slice's values: all of them, or some rows. */
  interface Reply {
    /** The rows (strictly increasing) this reply wants, or null for the whole slice. */
    default int[] rows() {
      return null;
    }

    /**
     * Makes the answer while the slice is locked, from the values at {@code version}; it is
     * sent, or replaced by a failure, once the lock is released.
     */
    Answer answer(long version, long clock, Selection values);
  }

  /** An answer made while the slice was locked. */
  interface Answer {
    void send();

    /** Sends {@code kind} and {@code message} instead, and frees what the answer held. */
    void fail(Failure.Kind kind, String message);
  }

  /**
   * The values a reply is answered with, offered while the slice is locked: whatever an answer
   * needs of them is made before its {@link Reply#answer} returns, at most once per selection.
   * Whole-slice replies of one release share a selection, so that the answers to the shares of
   * a step (and any GETs released with them) cost one copy of the slice in all: an array for
   * answers in this JVM ({@link #keep}), pooled frame bytes for answers over channels ({@link
   * #encoded}). The slice closes it once the answers are made.
   */
  static final class Selection {
    private final float[] values;
    private final int[] rows;
    private final int width;
    private float[] copy;
    private ByteBuf encoded;

    private Selection(float[] values, int[] rows, int width) {
      this.values = values;
      this.rows = rows;
      this.width = width;
    }

    /** The values as an array nothing else changes. */
    float[] keep() {
      if (copy == null) {
        copy = rows == null ? values.clone() : gather();
      }
      return copy;
    }

    private float[] gather() {
      float[] out = new float[rows.length * width];
      if (width == 1) {
        for (int i = 0; i < rows.length; i++) {
          out[i] = values[rows[i]];
        }
      } else {
        for (int i = 0; i < rows.length; i++) {
          System.arraycopy(values, rows[i] * width, out, i * width, width);
        }
      }
      return out;
    }

    /**
     * The values as VALUES carry them ({@link ValuesFrames#body}), in pooled direct buffers
     * the selection owns: an answer keeps a retained duplicate, or a copy.
     */
    ByteBuf encoded(ByteBufAllocator alloc) {
      if (encoded == null) {
        encoded = rows == null ? ValuesFrames.body(alloc, values)
            : ValuesFrames.body(alloc, values, rows, width);
      }
      return encoded;
    }

    /** The answers are made: gives back the selection's own reference to its bytes. */
    void close() {
      if (encoded != null) {
        encoded.release();
        encoded = null;
      }
    }
  }

  /**
   * What an update or a sync answer asks the caller to do once the lock is released: send the
   * answers once {@code replicated} completes, then a sync.
   */
  record Effects(List<Answer> answers, float[] syncDelta, List<Runnable> flushed,
      CompletableFuture<Void> replicated) {
    static final Effects NONE = new Effects(List.of(), null, List.of(), null);

    Effects(List<Answer> answers, float[] syncDelta, List<Runnable> flushed) {
      this(answers, syncDelta, flushed, null);
    }

    /** These effects, then {@code later}'s: the effects of two steps applied in a row. */
    Effects and(Effects later) {
      List<Answer> a = new ArrayList<>(answers);
      a.addAll(later.answers);
      List<Runnable> f = new ArrayList<>(flushed);
      f.addAll(later.flushed);
      if (syncDelta != null && later.syncDelta != null) {
        throw new IllegalStateException("two syncs started by one batch of steps");
      }
      float[] delta = syncDelta != null ? syncDelta : later.syncDelta;
      CompletableFuture<Void> r = replicated == null ? later.replicated
          : later.replicated == null ? replicated
          : CompletableFuture.allOf(replicated, later.replicated);
      return new Effects(a, delta, f, r);
    }

    void answer() {
      answers.forEach(Answer::send);
      flushed.forEach(Runnable::run);
    }

    void fail(Failure.Kind kind, String message) {
      answers.forEach(a -> a.fail(kind, message));
      flushed.forEach(Runnable::run);
    }
  }

  private record Waiter(long minVersion, long minClock, Reply reply) {}

  private final int paramId;
  private final int sliceId;
  private final float[] values;
  private final Optimizer optimizer;
  private final SliceSetup setup;
  private final long[] groupSteps;
  /** Per served group, the latest run of its stage that asked to resume ({@link #resume}). */
  private final int[] groupAttempts;
  /**
   * In a synchronous single group: the values at the start of step {@code previousStep}, the
   * step applied last, for a worker that resumes at that step while this slice is past it
   * (see {@link #resume}); null otherwise.
   */
  private final float[] previous;
  private long previousStep = -1;
  private final StepShares open = new StepShares();
  private final List<Waiter> waiters = new ArrayList<>();
  private final SliceCounters counters = new SliceCounters();
  private final MasterSync sync;
  private Replica replica = Replica.primary();
  private long version;

  /** A new primary copy with fresh optimizer state. */
  SliceState(int paramId, int sliceId, float[] values, Optimizer optimizer, SliceSetup setup) {
    this.paramId = paramId;
    this.sliceId = sliceId;
    this.values = values;
    this.optimizer = optimizer;
    this.setup = setup;
    this.groupSteps = new long[setup.numGroups()];
    this.groupAttempts = new int[setup.numGroups()];
    this.previous = setup.numGroups() == 1 && setup.sharesPerStep() > 1
        ? new float[values.length] : null;
    this.sync = setup.master().isEmpty() ? null : new MasterSync(values, setup.syncFreq());
  }

  /** A backup copy made from its primary's copy. */
  static SliceState backupOf(InstallSlice copy, Optimizer optimizer) {
    SliceState s = restored(copy, optimizer);
    s.replica = Replica.backup(copy.epoch());
    return s;
  }

  /** A primary copy with the state of {@code copy} (a checkpoint's, or a primary's). */
  static SliceState restored(InstallSlice copy, Optimizer optimizer) {
    if (copy.groupSteps().length != copy.setup().numGroups()) {
      throw new IllegalArgumentException("INSTALL_SLICE of param " + copy.paramId() + " slice "
          + copy.sliceId() + " has steps of " + copy.groupSteps().length + " groups, its setup "
          + copy.setup().numGroups());
    }
    optimizer.loadState(copy.optimizerState());
    SliceState s = new SliceState(copy.paramId(), copy.sliceId(), copy.values(), optimizer,
        copy.setup());
    System.arraycopy(copy.groupSteps(), 0, s.groupSteps, 0, s.groupSteps.length);
    s.version = copy.version();
    s.counters.installed(copy.sharesApplied());
    return s;
  }

  /**
   * A copy of this primary for a checkpoint, taken at the start of step {@code step} of
   * worker group {@code group}: only then do all slices of a synchronous group hold the same
   * step, so a copy at another step is refused.
   *
   * @throws IllegalStateException if the group's next step here is not {@code step}
   */
  synchronized InstallSlice checkpoint(int group, long step,
      io.sparkps.config.OptimizerConfig optimizerConfig) {
    checkPrimary();
    int g = groupIndex(group, "CHECKPOINT");
    if (groupSteps[g] != step) {
      throw new IllegalStateException(name() + " is at step " + groupSteps[g] + " of worker "
          + "group " + group + ", not at the start of step " + step + " the checkpoint is for");
    }
    return new InstallSlice(0, paramId, sliceId, replica.epoch(), optimizerConfig, setup,
        version, groupSteps.clone(), counters.sharesApplied(), optimizer.saveState(),
        values.clone());
  }

  private String name() {
    return "param " + paramId + " slice " + sliceId;
  }

  int paramId() {
    return paramId;
  }

  int sliceId() {
    return sliceId;
  }

  @Override
  public String toString() {
    return name();
  }

  /** Throws {@link NotPrimaryException} unless this copy serves workers. Holds the lock. */
  private void checkPrimary() {
    if (replica.handedOver()) {
      throw new NotPrimaryException("this server handed " + name() + " over at map epoch "
          + replica.epoch() + "; its new primary is being published", true);
    }
    if (!replica.isPrimary()) {
      throw new NotPrimaryException("this server holds " + name() + " as a backup (map epoch "
          + replica.epoch() + "), not as its primary");
    }
  }

  SliceSetup setup() {
    return setup;
  }

  /** Steps completed by the slowest served group. */
  private long clock() {
    long min = Long.MAX_VALUE;
    for (long s : groupSteps) {
      min = Math.min(min, s);
    }
    return min;
  }

  /** The index of worker group {@code group} among the served ones. */
  private int groupIndex(int group, String what) {
    int g = group - setup.firstGroup();
    if (g < 0 || g >= groupSteps.length) {
      throw new IllegalArgumentException(what + " from worker group " + group + ", but this "
          + "server serves groups " + setup.firstGroup() + ".." + (setup.firstGroup()
          + groupSteps.length - 1));
    }
    return g;
  }

  /**
   * Makes the answer at once if the slice has {@code minVersion} and returns what sends it;
   * otherwise parks the reply and returns null.
   */
  synchronized Answer getOrWait(long minVersion, Reply reply) {
    checkPrimary();
    if (version >= minVersion) {
      return answer(reply, null);
    }
    waiters.add(new Waiter(minVersion, -1, reply));
    return null;
  }

  synchronized long version() {
    return version;
  }

  /** Removes a parked reply (its request timed out); true if it was still parked. */
  synchronized boolean cancel(Reply reply) {
    return waiters.removeIf(w -> w.reply == reply);
  }

  /**
   * Adds one share. When the group's step has all its shares, applies the optimizer to the mean
   * gradient, bumps the version and releases every answer the new state allows: the shares of
   * that step (held back until the slowest group is within the staleness bound), and parked
   * GETs. A share of a step already applied, or from a worker already counted for an open step
   * (a retried task, a push resent after a failover), is not applied, but its sender still gets
   * the answer.
   */
  Effects update(Update u, Reply reply) {
    FiniteCheck.require("UPDATE", u.paramId(), u.sliceId(), u.gradient(), null);
    if (u.gradient().length() != values.length) {
      throw new IllegalArgumentException("UPDATE of param " + u.paramId() + " slice "
          + u.sliceId() + " has " + u.gradient().length() + " floats, the slice has "
          + values.length);
    }
    int g = groupIndex(u.group(), "UPDATE");
    synchronized (this) {
      checkPrimary();
      counters.received(u.shares(), u.payloadLength());
      if (u.step() < groupSteps[g]) {
        return answerApplied(u.step(), reply);
      }
      boolean next = u.step() == groupSteps[g];
      FloatPayload grad = u.gradient();
      if (next && open.denseIfOpen(u.group(), u.step()) == null
          && u.shares() >= setup.sharesPerStep()) {
        // One share makes the whole step: apply it as it came, with no aggregation buffer.
        float scale = u.examples() > 0 ? 1f / u.examples() : 0f;
        remember(u.step());
        optimizer.apply(values, grad, scale);
        return andLater(g, u.group(),
            completeStep(g, u.step(), u.shares(), List.of(reply), scale, null, grad, true));
      }
      StepShares.Step step = open.dense(u.group(), u.step());
      if (!step.join(u.workerId(), reply)) {
        counters.duplicate();
        return Effects.NONE;
      }
      step.add(grad, u.shares(), u.examples());
      if (!next || !step.complete(setup.sharesPerStep())) {
        return Effects.NONE;
      }
      return andLater(g, u.group(), applyDense(g, u.group(), u.step(), step, true));
    }
  }

  /**
   * A sparse share: like {@link #update}, for some rows only. The step's rows are the union of
   * its shares' rows; the optimizer updates just those.
   */
  Effects updateRows(io.sparkps.transport.UpdateRows u, Reply reply) {
    FiniteCheck.require("UPDATE_ROWS", u.paramId(), u.sliceId(), u.gradient(), u.rows());
    checkRows(u.rows(), u.gradient().length(), () -> "UPDATE_ROWS of param " + u.paramId()
        + " slice " + u.sliceId());
    int g = groupIndex(u.group(), "UPDATE_ROWS");
    int w = setup.rowWidth();
    synchronized (this) {
      checkPrimary();
      counters.received(u.shares(), u.payloadLength());
      if (u.step() < groupSteps[g]) {
        return answerApplied(u.step(), reply);
      }
      StepShares.Step step = open.sparse(u.group(), u.step());
      if (!step.join(u.workerId(), reply)) {
        counters.duplicate();
        return Effects.NONE;
      }
      step.addRows(u.rows(), u.gradient(), w, u.shares(), u.examples());
      if (u.step() > groupSteps[g] || !step.complete(setup.sharesPerStep())) {
        return Effects.NONE;
      }
      return andLater(g, u.group(), applySparse(g, u.group(), u.step(), step, true));
    }
  }

  /** Applies a complete open dense step, the group's next one. Holds the lock. */
  private Effects applyDense(int g, int group, long stepNo, StepShares.Step step,
      boolean maySync) {
    open.closeDense(group, stepNo);
    remember(stepNo);
    optimizer.apply(values, step.sum(), step.scale());
    Effects done = completeStep(g, stepNo, step.shares(), step.replies(), step.scale(), null,
        FloatPayload.of(step.sum()), maySync);
    open.recycle(step);
    return done;
  }

  /** Applies a complete open sparse step, the group's next one. Holds the lock. */
  private Effects applySparse(int g, int group, long stepNo, StepShares.Step step,
      boolean maySync) {
    int w = setup.rowWidth();
    open.closeSparse(group, stepNo);
    previousStep = -1;
    int[] union = step.rowIds();
    float[] mean = step.meanRows(union, w);
    if (union.length > 0) {
      optimizer.applySparse(values, union, mean, w);
    }
    return completeStep(g, stepNo, step.shares(), step.replies(), 1f, union,
        FloatPayload.of(mean), maySync);
  }

  /**
   * After a step of {@code group} was applied: applies the group's following steps that came
   * early and are complete, in order, and returns the effects of all. They start at most one
   * sync with the master; a later one takes their updates along. Holds the lock.
   */
  private Effects andLater(int g, int group, Effects applied) {
    Effects all = applied;
    while (true) {
      long stepNo = groupSteps[g];
      StepShares.Step dense = open.denseIfOpen(group, stepNo);
      StepShares.Step sparse = open.sparseIfOpen(group, stepNo);
      if (dense != null && dense.complete(setup.sharesPerStep())) {
        all = all.and(applyDense(g, group, stepNo, dense, all.syncDelta() == null));
      } else if (sparse != null && sparse.complete(setup.sharesPerStep())) {
        all = all.and(applySparse(g, group, stepNo, sparse, all.syncDelta() == null));
      } else {
        return all;
      }
    }
  }

  /**
   * Keeps the values at the start of {@code step}, about to be applied, when this slice keeps
   * them at all. Holds the lock.
   */
  private void remember(long step) {
    if (previous != null) {
      System.arraycopy(values, 0, previous, 0, values.length);
      previousStep = step;
    }
  }

  /**
   * Where worker group {@code r.group()} stands on this slice, for a task that starts: its next
   * step, and the values at the start of the step asked for — the values now for {@link
   * Resume#NEXT} or the next step, the values kept before the last step when that is the step
   * asked for (a worker of a synchronous group resuming at a step that this slice, but not
   * every slice, applied before the group's last run stopped). A later run of the group's
   * stage first drops the shares of the group's incomplete steps, which that run sends again.
   */
  synchronized Resumed resume(Resume r) {
    checkPrimary();
    int g = groupIndex(r.group(), "RESUME");
    if (r.attempt() > groupAttempts[g]) {
      groupAttempts[g] = r.attempt();
      open.discard(r.group());
    }
    long next = groupSteps[g];
    float[] out;
    boolean exact = true;
    if (!r.withValues()) {
      out = new float[0];
    } else if (r.step() == Resume.NEXT || r.step() == next) {
      out = values.clone();
    } else if (r.step() == previousStep && next == previousStep + 1) {
      out = previous.clone();
    } else {
      out = values.clone();
      exact = false;
    }
    return new Resumed(r.requestId(), paramId, sliceId, next, clock(), exact, out);
  }

  /**
   * Answers a share of a step this copy has already applied (a retried or resent share):
   * nothing is applied; the answer carries the values now, once the latest forwarded step is
   * on every backup. Holds the lock.
   */
  private Effects answerApplied(long step, Reply reply) {
    counters.duplicate();
    waiters.add(new Waiter(-1, requiredClock(step), reply));
    Effects e = release(null);
    return new Effects(e.answers(), null, e.flushed(), replica.lastForward());
  }

  /** The clock every served group must reach before step {@code step}'s answer goes out. */
  private long requiredClock(long step) {
    return setup.staleness() == SliceSetup.UNBOUNDED ? -1 : step + 1 - setup.staleness();
  }

  /**
   * Bumps the version and the group's clock, forwards the step just applied ({@code scale}
   * times {@code gradient}, on {@code rows} or the whole slice when null) to the backups, and
   * parks the step's answers. Holds the lock.
   */
  private Effects completeStep(int groupIndex, long step, int shares, List<Reply> replies,
      float scale, int[] rows, FloatPayload gradient, boolean maySync) {
    version++;
    counters.applied(shares);
    groupSteps[groupIndex] = Math.max(groupSteps[groupIndex], step + 1);
    CompletableFuture<Void> replicated = replica.forward(new Replicate(0, paramId, sliceId,
        replica.epoch(), version, setup.firstGroup() + groupIndex, step, shares, scale, rows,
        gradient));
    long required = requiredClock(step);
    for (Reply r : replies) {
      waiters.add(new Waiter(-1, required, r));
    }
    float[] delta = null;
    if (sync != null) {
      sync.updated();
      delta = maySync ? sync.due(values, false) : null;
    }
    Effects e = release(delta);
    return new Effects(e.answers(), e.syncDelta(), e.flushed(), replicated);
  }

  /** Answers every waiter the current version and clock satisfy. Holds the lock. */
  private Effects release(float[] syncDelta) {
    long clock = clock();
    List<Answer> ready = new ArrayList<>();
    Selection[] whole = {null};
    try {
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.minVersion <= version && w.minClock <= clock) {
          ready.add(answer(w.reply, whole));
          it.remove();
        }
      }
    } finally {
      if (whole[0] != null) {
        whole[0].close();
      }
    }
    return new Effects(ready, syncDelta, List.of());
  }

  /**
   * Makes {@code reply}'s answer from the values now. Whole-slice replies share the selection
   * in {@code whole} (the caller closes it) when given; any other selection is closed here.
   * Holds the lock.
   */
  private Answer answer(Reply reply, Selection[] whole) {
    int[] rows = reply.rows();
    if (rows == null && whole != null) {
      if (whole[0] == null) {
        whole[0] = new Selection(values, null, 1);
      }
      return reply.answer(version, clock(), whole[0]);
    }
    Selection own = new Selection(values, rows, setup.rowWidth());
    try {
      return reply.answer(version, clock(), own);
    } finally {
      own.close();
    }
  }

  /**
   * Checks that rows are strictly increasing row indices of this slice, and, unless {@code
   * floats} is negative, that {@code floats} is their number of floats. {@code what} names the
   * request in the error; it is only called on a failure.
   */
  void checkRows(int[] rows, int floats, Supplier<String> what) {
    int w = setup.rowWidth();
    int numRows = values.length / w;
    int previous = -1;
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      if (r <= previous || r >= numRows) {
        throw new IllegalArgumentException(what.get() + ": rows must be strictly increasing "
            + "indices in [0, " + numRows + "), got " + r + " at position " + i);
      }
      previous = r;
    }
    if (floats >= 0 && floats != rows.length * w) {
      throw new IllegalArgumentException(what.get() + " has " + floats + " floats for "
          + rows.length + " rows of " + w);
    }
  }

  /**
   * A backup applies a step its primary forwarded, the same way the primary did.
   *
   * @throws NotPrimaryException if this copy is not a backup of the sender's epoch or later
   *     (the sender is a stale primary)
   * @throws IllegalStateException if the step does not follow this copy's version
   */
  synchronized void applyReplicated(Replicate r) {
    if (!replica.takes(r.epoch())) {
      throw new NotPrimaryException("this server holds " + name() + " as " + replica.role()
          + " at map epoch " + replica.epoch() + "; a step forwarded at epoch " + r.epoch()
          + " is refused");
    }
    if (r.version() != version + 1) {
      throw new IllegalStateException("step to version " + r.version() + " of " + name()
          + " forwarded to a copy at version " + version);
    }
    int g = groupIndex(r.group(), "REPLICATE of " + name());
    if (r.rows() == null) {
      remember(r.step());
      optimizer.apply(values, r.gradient(), r.scale());
    } else {
      previousStep = -1;
      checkRows(r.rows(), r.gradient().length(), () -> "REPLICATE of " + name());
      if (r.rows().length > 0) {
        optimizer.applySparse(values, r.rows(), r.gradient().toArray(), setup.rowWidth());
      }
    }
    version++;
    counters.applied(r.shares());
    groupSteps[g] = Math.max(groupSteps[g], r.step() + 1);
  }

  /**
   * Makes this copy the primary or a backup from map epoch {@code newEpoch} on, and, as
   * primary, forwards later steps through {@code to}; every follower new to it first gets a
   * copy of the slice through {@code install}, sent now, so that later steps follow it — unless
   * {@code synced}: they hold this copy's state already. Answers held for a backup that {@code
   * to} no longer has are released. Returns when the copies are in.
   *
   * <p>With {@code settle}, a primary completes the returned future only once every step it
   * forwarded so far was answered. A primary made a backup hands the slice over: it stops serving at once,
   * tells whoever waits for an answer (a GET, a share of an open step, an answer held by the
   * staleness bound) that the slice is moving, so that they resend to the new primary, and
   * completes the returned future once every step it forwarded is on all its followers.
   */
  synchronized CompletableFuture<Void> setRole(long newEpoch, boolean primary, boolean synced,
      boolean settle, Forwarder to, BiFunction<Integer, InstallSlice, CompletableFuture<Void>> install,
      io.sparkps.config.OptimizerConfig optimizerConfig) {
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    if (primary && !synced) {
      for (int b : to.followers()) {
        if (!replica.followers().contains(b)) {
          waits.add(install.apply(b, new InstallSlice(0, paramId, sliceId, newEpoch,
              optimizerConfig, setup, version, groupSteps.clone(), counters.sharesApplied(),
              optimizer.saveState(), values)));
        }
      }
    }
    boolean handOver = !primary && replica.isPrimary();
    if (handOver) {
      waits.add(replica.drained());
    } else if (settle && replica.isPrimary()) {
      // A follower left out of the new role is told to drop its copy once this role is
      // acknowledged: every step sent to it must be answered first, or its refusal of a late
      // step would read as this copy being stale.
      waits.add(replica.settled());
    }
    List<Effects> released = replica.take(newEpoch, primary, to, name());
    if (handOver) {
      failWaiting(name() + " is moving to another server (map epoch " + newEpoch + ")");
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(
        waits.toArray(new CompletableFuture[0]));
    if (!released.isEmpty()) {
      boolean serve = replica.isPrimary();
      all.whenComplete((v, e) -> released.forEach(r -> {
        if (serve) {
          r.answer();
        } else {
          r.fail(handOver ? Failure.Kind.MOVING : Failure.Kind.NOT_PRIMARY, name()
              + " moved to another server");
        }
      }));
    }
    return all;
  }

  /**
   * Tells every parked GET, held answer and share of an open step that the slice is moving;
   * they are sent again to its new primary, which answers a step it already has without
   * applying it again. Holds the lock.
   */
  private void failWaiting(String why) {
    List<Reply> told = new ArrayList<>();
    waiters.forEach(w -> told.add(w.reply));
    waiters.clear();
    told.addAll(open.drain());
    for (Reply r : told) {
      answer(r, null).fail(Failure.Kind.MOVING, why);
    }
  }

  /**
   * Holds {@code effects}, whose step did not reach {@code backup}, until the coordinator
   * drops that backup (then they are sent); true if held, false if it is gone already.
   */
  synchronized boolean hold(int backup, Effects effects) {
    return replica.hold(backup, effects);
  }

  /** Removes held answers (their wait timed out); true if {@code effects} was still held. */
  synchronized boolean unhold(Effects effects) {
    return replica.unhold(effects);
  }

  /** A backup refused a step of this primary: it is stale, and stops serving workers. */
  synchronized void demote() {
    replica.demote();
  }

  /** A step's answers went out: the first one after a promotion ends the slice's recovery. */
  synchronized void acknowledged() {
    replica.acknowledged();
  }

  synchronized long recoveryMicros() {
    return replica.recoveryMicros();
  }

  synchronized long epoch() {
    return replica.epoch();
  }

  /**
   * The master answered the oldest sync in flight with its values {@code master}: this copy
   * becomes the master's plus the local change made since that sync was sent.
   */
  synchronized Effects syncAnswered(float[] master) {
    boolean[] answered = {false};
    float[] next = sync.answered(values, master, answered);
    if (!answered[0]) {
      return Effects.NONE;
    }
    return new Effects(List.of(), next, sync.flushed(false));
  }

  /**
   * A sync failed: forget it, so that later ones are not blocked by it. Its change stays in
   * this copy but will not reach the master: the caller logs that.
   */
  synchronized Effects syncFailed() {
    sync.failed();
    return new Effects(List.of(), null, sync.flushed(true));
  }

  /**
   * Sends everything local to the master; {@code done} runs once no sync is in flight and no
   * local change is unsent (at once on a master copy).
   */
  synchronized Effects flush(Runnable done) {
    if (sync == null) {
      return new Effects(List.of(), null, List.of(done));
    }
    return new Effects(List.of(), sync.flush(done, values), List.of());
  }

  /**
   * The master copy takes a non-master's delta and makes the answer with its values now;
   * returns what sends it.
   */
  synchronized Answer addDelta(float[] delta, Reply reply) {
    FiniteCheck.require("SYNC", paramId, sliceId, delta);
    if (delta.length != values.length) {
      throw new IllegalArgumentException("SYNC has " + delta.length + " floats, the slice has "
          + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      values[i] += delta[i];
    }
    return answer(reply, null);
  }

  /** The counters, as of now. */
  synchronized SliceCounters.Snapshot counters() {
    return counters.snapshot(sync == null ? 0 : sync.syncsSent(),
        sync == null ? 0 : sync.maxInFlight());
  }

  synchronized float[] valuesNow() {
    return values.clone();
  }

  /** Bytes held: values plus optimizer state. */
  long bytes() {
    return (long) values.length * Float.BYTES + optimizer.stateBytes();
  }
}
