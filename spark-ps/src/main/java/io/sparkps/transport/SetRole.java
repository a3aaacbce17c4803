package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Coordinator to server: the server's role for one slice from map epoch {@code epoch} on.
 *
 * <p>As primary it serves workers and forwards every step it applies to {@code backups} and
 * {@code learners}, sending any of them it does not forward to yet a copy of the slice first
 * (unless {@code synced}: they already hold this copy's state, as when a primary hands its
 * slice over). A step's answers wait for every backup; a learner — a server about to hold the
 * slice, receiving its copy while the primary keeps serving — is not waited for.
 *
 * <p>As backup it takes forwarded steps only. A primary told to be a backup stops serving at
 * once: what waits for an answer is told the slice is moving, and the role is acknowledged once
 * every step it forwarded is on all its backups and learners, so that any of them can take over
 * with no step lost. With {@code settle}, a primary acknowledges once every step it forwarded
 * so far was answered (a follower it no longer has is about to drop its copy, and must not
 * refuse a late step of this primary's).
 *
 * <p>Answered with {@link Ack} once every new backup and learner holds its copy.
 *
 * @param backups each backup as "id@host:port", comma separated; empty for none (and for a
 *     backup's own role)
 * @param learners servers receiving the slice, in the same form; empty for none
 */
public record SetRole(long requestId, int paramId, int sliceId, long epoch, boolean primary,
    boolean synced, boolean settle, String backups, String learners) implements Message {

  /** A role with no learners whose backups get a copy unless they have one. */
  public SetRole(long requestId, int paramId, int sliceId, long epoch, boolean primary,
      String backups) {
    this(requestId, paramId, sliceId, epoch, primary, false, false, backups, "");
  }

  @Override public MessageType type() { return MessageType.SET_ROLE; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, epoch); }

  @Override public int payloadLength() {
    return 3 + Floats.stringLength(backups) + Floats.stringLength(learners);
  }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeBoolean(primary);
    out.writeBoolean(synced);
    out.writeBoolean(settle);
    Floats.writeString(out, backups);
    Floats.writeString(out, learners);
  }

  static SetRole read(Header h, ByteBuf in) {
    boolean primary = in.readBoolean();
    boolean synced = in.readBoolean();
    boolean settle = in.readBoolean();
    String backups = Floats.readString(in);
    return new SetRole(h.requestId(), h.paramId(), h.sliceId(), h.version(), primary, synced,
        settle, backups, Floats.readString(in));
  }
}
