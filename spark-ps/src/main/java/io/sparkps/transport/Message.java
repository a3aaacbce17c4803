package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/**
 * A message on the wire: a {@link Header} plus a type-specific payload. Every message type is a
 * record in this package with a byte id in {@link MessageType}; {@link FrameEncoder} and
 * {@link FrameDecoder} turn them into frames and back.
 */
public sealed interface Message
    permits Challenge, AuthResponse, AuthOk, CreateSlice, DropParam, Get, Update, GetRows,
        UpdateRows, Values, Ack,
        Failure, Sync, Flush, StatsRequest, Stats, Register, Heartbeat, Shutdown, SetRole,
        Replicate, InstallSlice, RoutesRequest, Routes, Resume, Resumed,
        Checkpoint, LoadSlice, CheckpointWritten, DropSlice, Joined,
        HostedAt, ProgressReport, EpochEnd, EpochDecided {

  MessageType type();

  Header header();

  /** Exact number of payload bytes {@link #writePayload} writes. */
  int payloadLength();

  void writePayload(ByteBuf out);

  /** The request id of the header; 0 for one-way messages. */
  default long requestId() {
    return header().requestId();
  }
}
