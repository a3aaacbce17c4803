package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * A worker task starting (or starting again) asks a slice's primary where worker group {@code
 * group} stands: answered with {@link Resumed}, which carries the group's next step on this
 * slice and, when asked for, the slice's values.
 *
 * <p>A task of a later run of the group's stage ({@code attempt}) makes the slice forget the
 * shares of the group's steps that earlier runs left incomplete, so that the workers of the new
 * run send them again; every worker of a run asks before it pushes anything.
 *
 * @param group the worker group
 * @param attempt the run of the group's training stage, from 0
 * @param step the step whose start values are wanted, or {@link #NEXT} for the values now
 * @param withValues whether the answer carries the values (a sparse worker needs only the step)
 */
public record Resume(long requestId, int paramId, int sliceId, int group, int attempt,
    long step, boolean withValues) implements Message {
  /** Asks for the values at the start of the group's next step on the slice: the values now. */
  public static final long NEXT = -1;

  @Override public MessageType type() { return MessageType.RESUME; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, step); }
  @Override public int payloadLength() { return 2 * Integer.BYTES + 1; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeInt(group);
    out.writeInt(attempt);
    out.writeBoolean(withValues);
  }

  static Resume read(Header h, ByteBuf in) {
    int group = in.readInt();
    int attempt = in.readInt();
    return new Resume(h.requestId(), h.paramId(), h.sliceId(), group, attempt, h.version(),
        in.readBoolean());
  }
}
