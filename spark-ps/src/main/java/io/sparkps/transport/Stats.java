package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * Counters of one slice on its server.
 *
 * @param version updates applied
 * @param updatesReceived UPDATE messages received (a stub's combined share counts once)
 * @param sharesReceived worker gradients those messages carried
 * @param bytesReceived payload bytes of those UPDATE messages
 * @param syncsSent syncs sent to the master copy
 * @param maxSyncsInFlight most syncs in flight at once
 * @param memoryBytes values plus optimizer state held
 * @param sharesApplied worker gradients in the steps applied (each counted once, however
 *     often it was sent, and kept across failovers)
 * @param recoveryMicros for a copy promoted to primary: from its promotion to its first
 *     acknowledged step; -1 when it was not promoted or has had no step since
 */
public record Stats(long requestId, long version, long updatesReceived, long sharesReceived,
    long bytesReceived, long syncsSent, long maxSyncsInFlight, long memoryBytes,
    long sharesApplied, long recoveryMicros) implements Message {
  @Override public MessageType type() { return MessageType.STATS; }
  @Override public Header header() { return Header.request(requestId); }
  @Override public int payloadLength() { return 9 * Long.BYTES; }

  @Override
  public void writePayload(ByteBuf out) {
    out.writeLong(version);
    out.writeLong(updatesReceived);
    out.writeLong(sharesReceived);
    out.writeLong(bytesReceived);
    out.writeLong(syncsSent);
    out.writeLong(maxSyncsInFlight);
    out.writeLong(memoryBytes);
    out.writeLong(sharesApplied);
    out.writeLong(recoveryMicros);
  }

  static Stats read(Header h, ByteBuf in) {
    return new Stats(h.requestId(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
        in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
  }
}
