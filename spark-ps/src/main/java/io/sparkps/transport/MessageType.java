package io.sparkps.transport;

import io.netty.buffer.ByteBuf;

/** The byte id of every message type, and how to read its payload. */
public enum MessageType {
  CHALLENGE(1, Challenge::read),
  AUTH_RESPONSE(2, AuthResponse::read),
  AUTH_OK(3, AuthOk::read),
  CREATE_SLICE(10, CreateSlice::read),
  DROP_PARAM(11, (h, in) -> new DropParam(h.requestId(), h.paramId())),
  GET(12, (h, in) -> new Get(h.requestId(), h.paramId(), h.sliceId(), h.version())),
  UPDATE(13, Update::read),
  VALUES(14, Values::read),
  ACK(15, (h, in) -> new Ack(h.requestId())),
  FAILURE(16, Failure::read),
  SYNC(17, Sync::read),
  FLUSH(18, (h, in) -> new Flush(h.requestId(), h.paramId(), h.sliceId())),
  STATS_REQUEST(19, (h, in) -> new StatsRequest(h.requestId(), h.paramId(), h.sliceId())),
  STATS(23, Stats::read),
  GET_ROWS(24, GetRows::read),
  UPDATE_ROWS(25, UpdateRows::read),
  REGISTER(20, Register::read),
  HEARTBEAT(21, (h, in) -> new Heartbeat(h.requestId(), h.source())),
  SHUTDOWN(22, (h, in) -> new Shutdown()),
  SET_ROLE(30, SetRole::read),
  REPLICATE(31, Replicate::read),
  INSTALL_SLICE(32, InstallSlice::read),
  ROUTES_REQUEST(33, (h, in) -> new RoutesRequest(h.requestId(), h.version())),
  ROUTES(34, Routes::read),
  RESUME(35, Resume::read),
  RESUMED(36, Resumed::read),
  DROP_SLICE(37, (h, in) -> new DropSlice(h.requestId(), h.paramId(), h.sliceId())),
  JOINED(38, (h, in) -> new Joined(h.requestId(), h.source())),
  HOSTED_AT(39, HostedAt::read),
  CHECKPOINT(40, Checkpoint::read),
  LOAD_SLICE(41, LoadSlice::read),
  CHECKPOINT_WRITTEN(42, CheckpointWritten::read),
  PROGRESS_REPORT(43, ProgressReport::read),
  EPOCH_END(44, EpochEnd::read),
  EPOCH_DECIDED(45, EpochDecided::read);

  /** Reads one message of a type from its header and its complete payload. */
  @FunctionalInterface
  interface Reader {
    Message read(Header header, ByteBuf payload);
  }

  private static final MessageType[] BY_ID = new MessageType[128];

  static {
    for (MessageType t : values()) {
      BY_ID[t.id] = t;
    }
  }

  private final byte id;
  private final Reader reader;

  MessageType(int id, Reader reader) {
    this.id = (byte) id;
    this.reader = reader;
  }

  public byte id() {
    return id;
  }

  Message read(Header header, ByteBuf payload) {
    return reader.read(header, payload);
  }

  /** The type with this id, or null when no type has it. */
  static MessageType of(byte id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
  }
}
