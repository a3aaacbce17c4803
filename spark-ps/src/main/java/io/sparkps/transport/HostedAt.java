package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Training task to the driver, in a fit with co-located servers: worker {@code worker} of run
 * {@code run} of the training stage hosts server {@code serverId} (-1: none) at {@code
 * host:port}. Answered, once every worker of that run has told, with {@link Routes} listing
 * where each hosted server listens (no slices), or with a {@link Failure} saying which workers
 * did not come in time.
 *
 * <pre>
 * header: source = worker, version = run, requestId
 * payload: int serverId | int length, UTF-8 host | int port
 * </pre>
 */
public record HostedAt(long requestId, long run, int worker, int serverId, String host, int port)
    implements Message {
  @Override public MessageType type() { return MessageType.HOSTED_AT; }
  @Override public Header header() { return new Header(worker, 0, 0, 0, run, requestId); }
  @Override public int payloadLength() {
    return Integer.BYTES + Floats.stringLength(host) + Integer.BYTES;
  }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeInt(serverId);
    Floats.writeString(out, host);
    out.writeInt(port);
  }

  static HostedAt read(Header h, ByteBuf in) {
    int serverId = in.readInt();
    String host = Floats.readString(in);
    return new HostedAt(h.requestId(), h.version(), h.source(), serverId, host, in.readInt());
  }
}
