package io.sparkps.server;

import io.sparkps.transport.Replicate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One copy's place in its slice's replication: primary or backup at a map epoch, where a
 * primary's steps go, the answers held while a backup is unreachable, and, for a promoted copy,
 * how long its first acknowledged step took. Not thread safe: used under its slice's lock.
 */
final class Replica {
  /** Answers whose step could not reach {@code backup}, until the coordinator drops it. */
  private record Held(int backup, SliceState.Effects effects) {}

  private static final SliceState.Forwarder NO_BACKUPS = new SliceState.Forwarder() {
    @Override
    public CompletableFuture<Void> forward(Replicate step) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<Integer> backups() {
      return Set.of();
    }
  };

  private SliceState.Role role;
  private long epoch;
  private SliceState.Forwarder forwarder = NO_BACKUPS;
  private CompletableFuture<Void> lastForward = CompletableFuture.completedFuture(null);
  private final List<Held> held = new ArrayList<>();
  private boolean handedOver;
  private long promotedAtNanos;
  private long recoveryMicros = -1;

  private Replica(SliceState.Role role, long epoch) {
    this.role = role;
    this.epoch = epoch;
  }

  /** A primary created with its slice. */
  static Replica primary() {
    return new Replica(SliceState.Role.PRIMARY, 0);
  }

  /** A backup made from its primary's copy at {@code epoch}. */
  static Replica backup(long epoch) {
    return new Replica(SliceState.Role.BACKUP, epoch);
  }

  SliceState.Role role() {
    return role;
  }

  long epoch() {
    return epoch;
  }

  boolean isPrimary() {
    return role == SliceState.Role.PRIMARY;
  }

  /** Whether a step forwarded at {@code senderEpoch} may be applied here. */
  boolean takes(long senderEpoch) {
    return role == SliceState.Role.BACKUP && senderEpoch >= epoch;
  }

  Set<Integer> backups() {
    return forwarder.backups();
  }

  /** Every server this copy forwards steps to: backups and learners. */
  Set<Integer> followers() {
    return forwarder.followers();
  }

  /** Completes once every step sent so far is on every follower (see {@link #settled}). */
  CompletableFuture<Void> drained() {
    return forwarder.drained();
  }

  /** Completes once every step sent so far was answered by its follower, taken or not. */
  CompletableFuture<Void> settled() {
    return forwarder.settled();
  }

  /** Whether this copy was the primary until the coordinator moved the slice away. */
  boolean handedOver() {
    return handedOver;
  }

  /** Sends a step just applied to the backups; the future of the latest step sent. */
  CompletableFuture<Void> forward(Replicate step) {
    if (!forwarder.backups().isEmpty()) {
      lastForward = forwarder.forward(step);
    }
    return lastForward;
  }

  /** The latest step sent to the backups: an answer of an applied step waits for it. */
  CompletableFuture<Void> lastForward() {
    return lastForward;
  }

  /**
   * Takes the role of map epoch {@code newEpoch}, forwarding through {@code to} as primary;
   * returns the held answers the new backups release.
   *
   * @throws IllegalStateException if the role is older than the one held
   */
  List<SliceState.Effects> take(long newEpoch, boolean primary, SliceState.Forwarder to,
      String slice) {
    if (newEpoch < epoch) {
      throw new IllegalStateException(slice + " is at map epoch " + epoch + ", a role of "
          + "epoch " + newEpoch + " is stale");
    }
    if (primary && role == SliceState.Role.BACKUP) {
      promotedAtNanos = System.nanoTime();
      recoveryMicros = -1;
    }
    handedOver = !primary && role == SliceState.Role.PRIMARY;
    role = primary ? SliceState.Role.PRIMARY : SliceState.Role.BACKUP;
    epoch = newEpoch;
    forwarder = primary ? to : NO_BACKUPS;
    List<SliceState.Effects> released = new ArrayList<>();
    held.removeIf(h -> {
      if (!forwarder.backups().contains(h.backup())) {
        released.add(h.effects());
        return true;
      }
      return false;
    });
    return released;
  }

  /** Holds answers for {@code backup}; false when it is no longer a backup. */
  boolean hold(int backup, SliceState.Effects effects) {
    if (!forwarder.backups().contains(backup)) {
      return false;
    }
    held.add(new Held(backup, effects));
    return true;
  }

  boolean unhold(SliceState.Effects effects) {
    return held.removeIf(h -> h.effects() == effects);
  }

  /** A backup refused a step: this copy is a stale primary and stops serving. */
  void demote() {
    if (role == SliceState.Role.PRIMARY) {
      role = SliceState.Role.BACKUP;
      forwarder = NO_BACKUPS;
    }
  }

  /** A step's answers went out: the first one after a promotion ends its recovery. */
  void acknowledged() {
    if (promotedAtNanos != 0 && recoveryMicros < 0) {
      recoveryMicros = (System.nanoTime() - promotedAtNanos) / 1000;
    }
  }

  long recoveryMicros() {
    return recoveryMicros;
  }
}
