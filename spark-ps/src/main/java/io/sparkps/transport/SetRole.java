package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Coordinator to server: the server's role for one slice from map epoch {@code epoch} on. As
 * primary it serves workers and forwards every step it applies to {@code backups}, sending a
 * backup it does not have yet a copy of the slice first; as backup it takes forwarded steps
 * only. Answered with {@link Ack} once every new backup holds its copy.
 *
 * @param backups each backup as "id@host:port", comma separated; empty for none (and for a
 *     backup's own role)
 */
public record SetRole(long requestId, int paramId, int sliceId, long epoch, boolean primary,
    String backups) implements Message {
  @Override public MessageType type() { return MessageType.SET_ROLE; }
  @Override public Header header() { return Header.slice(requestId, paramId, sliceId, epoch); }
  @Override public int payloadLength() { return 1 + Floats.stringLength(backups); }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeBoolean(primary);
    Floats.writeString(out, backups);
  }

  static SetRole read(Header h, ByteBuf in) {
    boolean primary = in.readBoolean();
    return new SetRole(h.requestId(), h.paramId(), h.sliceId(), h.version(), primary,
        Floats.readString(in));
  }
}
