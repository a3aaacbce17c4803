package io.sparkps.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * Coordinator to client: the slice map at one epoch — the live servers and the primary of every
 * slice (-1 for a slice whose every copy is lost, then {@code lost} says what happened).
 *
 * @param serverIds live servers, with {@code hosts[i]:ports[i]} where server {@code
 *     serverIds[i]} serves
 * @param paramIds with {@code sliceIds}, {@code slots} and {@code primaries}, one entry per
 *     copy of a slice: a copy is named by its param, its slice and the server index the slicer
 *     first gave it (one per server group)
 */
public record Routes(long requestId, long epoch, int[] serverIds, String[] hosts, int[] ports,
    int[] paramIds, int[] sliceIds, int[] slots, int[] primaries, String lost) implements Message {
  @Override public MessageType type() { return MessageType.ROUTES; }
  @Override public Header header() { return Header.slice(requestId, 0, 0, epoch); }

  @Override
  public int payloadLength() {
    int n = Ints.length(serverIds) + Ints.length(ports) + Ints.length(paramIds)
        + Ints.length(sliceIds) + Ints.length(slots) + Ints.length(primaries) + Floats.stringLength(lost);
    for (String h : hosts) {
      n += Floats.stringLength(h);
    }
    return n;
  }

  @Override
  public void writePayload(ByteBuf out) {
    Ints.write(out, serverIds);
    Ints.write(out, ports);
    for (String h : hosts) {
      Floats.writeString(out, h);
    }
    Ints.write(out, paramIds);
    Ints.write(out, sliceIds);
    Ints.write(out, slots);
    Ints.write(out, primaries);
    Floats.writeString(out, lost);
  }

  static Routes read(Header h, ByteBuf in) {
    int[] ids = Ints.read(in);
    int[] ports = Ints.read(in);
    if (ports.length != ids.length) {
      throw new CorruptedFrameException("ROUTES with " + ids.length + " servers but "
          + ports.length + " ports");
    }
    String[] hosts = new String[ids.length];
    for (int i = 0; i < hosts.length; i++) {
      hosts[i] = Floats.readString(in);
    }
    int[] params = Ints.read(in);
    int[] slices = Ints.read(in);
    int[] slots = Ints.read(in);
    int[] primaries = Ints.read(in);
    if (slices.length != params.length || slots.length != params.length
        || primaries.length != params.length) {
      throw new CorruptedFrameException("ROUTES with " + params.length + " params, "
          + slices.length + " slices, " + slots.length + " slots and " + primaries.length
          + " primaries");
    }
    return new Routes(h.requestId(), h.version(), ids, hosts, ports, params, slices, slots,
        primaries, Floats.readString(in));
  }
}
