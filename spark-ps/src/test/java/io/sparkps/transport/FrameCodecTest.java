package io.sparkps.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.config.OptimizerType;
import java.lang.reflect.RecordComponent;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {
  private static final int MAX_FRAME = 1 << 20;
  private static final int MAGIC = 0x50535331;
  private static final int V = FrameEncoder.PROTOCOL_VERSION;

  /** At least one message of every {@link MessageType}; {@link #coversEveryType} checks it. */
  static List<Message> samples() {
    Random rnd = new Random(11);
    byte[] nonce = new byte[32];
    rnd.nextBytes(nonce);
    byte[] mac = new byte[32];
    rnd.nextBytes(mac);
    byte[] publicKey = new byte[32];
    rnd.nextBytes(publicKey);
    float[] special = {0f, -0f, 1.5f, -2.25e-3f, Float.MIN_VALUE, Float.MAX_VALUE,
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 123456.78f};
    float[] many = new float[1000];
    for (int i = 0; i < many.length; i++) {
      many[i] = (float) rnd.nextGaussian();
    }
    OptimizerConfig momentum = OptimizerConfig.builder(OptimizerType.MOMENTUM)
        .learningRate(0.05f).momentum(0.9f).l2(1e-4f).build();
    return List.of(
        new Challenge(false, nonce, new byte[0]),
        new Challenge(true, nonce, publicKey),
        new AuthResponse(false, new byte[0], mac),
        new AuthResponse(true, publicKey, mac),
        new AuthOk(mac),
        new CreateSlice(5, 7, 2, momentum, 3, special),
        new CreateSlice(6, 8, 0, OptimizerConfig.adam(1e-3f).withL2(0.5f), 1, new float[0]),
        new CreateSlice(7, 8, 1, OptimizerConfig.ftrl(0.05f).withL1(0.25f).withL2(0.5f)
            .toBuilder().ftrlBeta(2f).build(), 2, special),
        new CreateSlice(8, 8, 2, OptimizerConfig.sgd(0.5f).withL1(1e-3f), 1, many),
        new DropParam(6, 7),
        new Get(8, 7, 2, 41L),
        new Update(9, 3, 7, 2, 40L, 1, 2, 64, many),
        new Update(Long.MAX_VALUE, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE,
            -4, 0, 0, special),
        new Values(10, 7, 2, 41L, many),
        new Values(11, 7, 3, 0L, new float[0]),
        new Values(17, 7, 3, 5L, 3L, special),
        new CreateSlice(18, 9, 1, OptimizerConfig.sgd(0.5f),
            new SliceSetup(2, 4, 3, 7, 5, "10.1.2.3:7077"), special),
        new Sync(19, 9, 1, many),
        new Flush(20, 9, 1),
        new StatsRequest(21, 9, 1),
        new GetRows(23, 9, 1, 4L, new int[] {0, 5, 77}),
        new UpdateRows(24, 3, 9, 1, 6L, 2, 1, 64, new int[] {1, 2}, new float[] {1f, 2f, 3f, 4f}),
        new UpdateRows(25, 3, 9, 1, 6L, 2, 1, 0, new int[0], new float[0]),
        new Stats(22, 5, 6, 12, 4096, 3, 2, Long.MAX_VALUE, 11, -1),
        new SetRole(26, 9, 1, 42L, true, "3@10.0.0.2:7001,5@host-b:7002"),
        new SetRole(27, 9, 1, 43L, false, ""),
        new SetRole(28, 9, 2, 44L, true, true, false, "3@10.0.0.2:7001", "6@host-c:7003"),
        new SetRole(31, 9, 2, 45L, false, false, true, "", ""),
        new DropSlice(29, 9, 2),
        new Joined(30, 7),
        new HostedAt(31, (12L << 32) | 1, 3, 1, "h\u00e4st-b", 7005),
        new HostedAt(32, 0L, 2, -1, "", 0),
        new ProgressReport((12L << 32) | 1, 3, 2, 7, true, 40L, 2560L, 123.25),
        new ProgressReport(0L, 0, 0, 0, false, 0L, 0L, Double.NaN),
        new EpochEnd(33, (12L << 32) | 1, 3, 7, new double[] {0.5, -1e300, Double.NaN}),
        new EpochEnd(34, 0L, 0, 0, new double[0]),
        new EpochDecided(35, true, false),
        new EpochDecided(36, false, true),
        new Replicate(28, 9, 1, 42L, 17L, 2, 16L, 3, 0.25f, null, many),
        new Replicate(29, 9, 1, 42L, 18L, 0, 9L, 1, 1f, new int[] {0, 7}, special),
        new InstallSlice(30, 9, 1, 42L, momentum, new SliceSetup(2, 0, 3, 4, 1, "", 2), 17L,
            new long[] {5L, 6L, Long.MAX_VALUE}, 99L, new byte[] {1, -2, 3}, special),
        new InstallSlice(31, 9, 2, 0L, OptimizerConfig.sgd(0.5f), SliceSetup.single(1), 0L,
            new long[] {0L}, 0L, new byte[0], new float[0]),
        new RoutesRequest(32, -1L),
        new Checkpoint(35, 9, 1, 0, 300L, "hdfs://nn:8020/ckpt/step-300-7f/p0-s1.slice"),
        new Checkpoint(36, 9, 2, 3, 0L, "file:/tmp/\u00e4/p1-s2.slice"),
        new CheckpointWritten(37, 9, 2, "file:/tmp/\u00e4/p1-s2.slice"),
        new LoadSlice(37, 9, 1, momentum, new SliceSetup(2, 0, 3, 4, 1, "", 2), 62,
            "s3a://bucket/ckpt/step-300-7f/p0-s1.slice"),
        new Routes(33, 7L, new int[] {0, 4}, new String[] {"10.0.0.1", "h\u00e4st"},
            new int[] {7000, 7004}, new int[] {9, 9}, new int[] {0, 1}, new int[] {0, 1},
            new int[] {4, -1}, "server 1 exited"),
        new Routes(0, 0L, new int[0], new String[0], new int[0], new int[0], new int[0],
            new int[0], new int[0], ""),
        new Failure(34, Failure.Kind.NOT_PRIMARY, "moved"),
        new Failure(35, Failure.Kind.MOVING, "switching"),
        new Resume(35, 9, 1, 2, 3, Resume.NEXT, true),
        new Resume(36, 9, 1, 0, 0, 17L, false),
        new Resumed(37, 9, 1, 18L, 12L, true, many),
        new Resumed(38, 9, 1, 0L, 0L, false, new float[0]),
        new Ack(12),
        new Failure(13, true, "slice 2 did not reach version 41 \u2014 \u00fcn\u00efc\u00f6de"),
        new Failure(14, false, ""),
        new Register(15, 4, "host-\u00e4.example", 7077, 31337),
        new Heartbeat(16, 4),
        new Shutdown());
  }

  @Test
  void coversEveryType() {
    Set<MessageType> covered = EnumSet.noneOf(MessageType.class);
    samples().forEach(m -> covered.add(m.type()));
    assertEquals(EnumSet.allOf(MessageType.class), covered,
        "add a sample of every new MessageType to FrameCodecTest.samples()");
  }

  @ParameterizedTest
  @MethodSource("samples")
  void roundTripsThroughEncoderAndDecoder(Message msg) {
    ByteBuf frame = encode(msg);
    assertEquals(FrameEncoder.HEADER_BYTES + msg.payloadLength(), frame.readableBytes());
    EmbeddedChannel decoder = new EmbeddedChannel(authenticated(MAX_FRAME));
    assertTrue(decoder.writeInbound(frame));
    assertSameMessage(msg, decoder.readInbound());
    assertNull(decoder.readInbound());
    decoder.finishAndReleaseAll();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void decodesFramesFedByteByByte(Message msg) {
    ByteBuf frame = encode(msg);
    EmbeddedChannel decoder = new EmbeddedChannel(authenticated(MAX_FRAME));
    int n = frame.readableBytes();
    for (int i = 0; i < n - 1; i++) {
      decoder.writeInbound(frame.readRetainedSlice(1));
      assertNull(decoder.readInbound(), "decoded before the last byte, at byte " + i);
    }
    decoder.writeInbound(frame.readRetainedSlice(1));
    frame.release();
    assertSameMessage(msg, decoder.readInbound());
    decoder.finishAndReleaseAll();
  }

  @Test
  void decodesBackToBackFramesInOrder() {
    ByteBuf all = Unpooled.buffer();
    for (Message m : samples()) {
      FrameEncoder.write(m, all);
    }
    EmbeddedChannel decoder = new EmbeddedChannel(authenticated(MAX_FRAME));
    decoder.writeInbound(all);
    for (Message m : samples()) {
      assertSameMessage(m, decoder.readInbound());
    }
    assertNull(decoder.readInbound());
    decoder.finishAndReleaseAll();
  }

  @Test
  void anUpdateKeepsItsGradientInTheFrameUntilReleased() {
    EmbeddedChannel decoder = new EmbeddedChannel(authenticated(MAX_FRAME));
    ByteBuf frame = encode(new Update(1, 0, 2, 0, 0, 0, 1, 1, new float[] {1f, 2f, 3f}));
    decoder.writeInbound(frame);
    Update u = decoder.readInbound();
    assertTrue(u.gradient().isBuffer(), "read in place, not decoded into an array");
    assertEquals(1, u.gradient().refCnt());
    assertArrayEquals(new float[] {1f, 2f, 3f}, u.gradientSum(), 0f);
    HoldsFloats.release(u);
    assertEquals(0, frame.refCnt(), "the frame is freed with the message");
    decoder.finishAndReleaseAll();
  }

  @Test
  void largeFramesTravelInPiecesAndArriveInOddChunks() {
    Random random = new Random(3);
    float[] values = new float[3 * FrameEncoder.PIECE_BYTES / Float.BYTES + 7];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() - 0.5f;
    }
    int[] rows = random.ints(0, 1 << 30).limit(FrameEncoder.PIECE_BYTES / 3).toArray();
    // CreateSlice puts its floats at an offset that is not a multiple of 4 from the frame start.
    List<Message> large = List.of(new Values(5, 1, 2, 9, 3, values),
        new CreateSlice(6, 1, 2, OptimizerConfig.sgd(0.5f), 1, values),
        new GetRows(7, 1, 2, 0, rows));
    for (Message msg : large) {
      ByteBuf frame = encode(msg);
      assertTrue(frame.nioBufferCount() > 1, msg.type() + " frame in pieces");
      assertEquals(FrameEncoder.HEADER_BYTES + msg.payloadLength(), frame.readableBytes());
      EmbeddedChannel decoder = new EmbeddedChannel(authenticated(MAX_FRAME));
      while (frame.isReadable()) {
        decoder.writeInbound(frame.readRetainedSlice(Math.min(4099, frame.readableBytes())));
      }
      frame.release();
      assertSameMessage(msg, decoder.readInbound());
      decoder.finishAndReleaseAll();
    }
  }

  @Test
  void floatsSurviveBuffersOfSeveralComponents() {
    float[] values = {1f, -2f, 3.5f, Float.NaN, 1e-30f, 7f, 8f, 9f, 10f, 11f};
    Values msg = new Values(3, 1, 2, 4, values);
    // Two components, split inside the float payload: the paths without one NIO buffer.
    CompositeByteBuf out = Unpooled.compositeBuffer();
    out.addComponents(true, Unpooled.buffer(50).writeZero(50), Unpooled.buffer(100).writeZero(100));
    out.clear();
    FrameEncoder.write(msg, out);
    ByteBuf payload = out.slice(FrameEncoder.HEADER_BYTES + Long.BYTES,
        values.length * Float.BYTES);
    assertEquals(2, payload.nioBufferCount());
    assertArrayEquals(values, Floats.readRest(payload));
    EmbeddedChannel decoder = new EmbeddedChannel(authenticated(MAX_FRAME));
    decoder.writeInbound(out);
    Values back = decoder.readInbound();
    assertArrayEquals(values, back.values());
    decoder.finishAndReleaseAll();
  }

  @Test
  void headerHasTheDocumentedLayout() {
    float[] grad = {1.5f, -2f};
    Update msg = new Update(0x0102030405060708L, 17, 42, 9, 1234567890123L, 3, 2, 80, grad);
    ByteBuf b = Unpooled.buffer();
    FrameEncoder.write(msg, b);
    assertEquals(0x50535331, b.getInt(0));
    assertEquals('P', b.getByte(0)); // big-endian magic: "PSS1"
    assertEquals(2, b.getByte(4));
    assertEquals(13, b.getByte(5));
    assertEquals(0, b.getShort(6));
    assertEquals(17, b.getInt(8));
    assertEquals(0, b.getInt(12));
    assertEquals(42, b.getInt(16));
    assertEquals(9, b.getInt(20));
    assertEquals(1234567890123L, b.getLong(24));
    assertEquals(0x0102030405060708L, b.getLong(32));
    assertEquals(1, b.getByte(32)); // request id is big-endian too
    assertEquals(3 * 4 + 2 * 4, b.getInt(40));
    assertEquals(3, b.getInt(44));
    assertEquals(2, b.getInt(48));
    assertEquals(80, b.getInt(52));
    assertEquals(Float.floatToRawIntBits(1.5f), b.getIntLE(56));
    assertEquals(-2f, b.getFloatLE(60));
    assertEquals(64, b.readableBytes());
  }

  @Test
  void decodesAHandBuiltFrame() {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(0x50535331).writeByte(2).writeByte(14).writeShort(0);
    b.writeInt(0).writeInt(0).writeInt(77).writeInt(5).writeLong(12L).writeLong(99L);
    b.writeInt(16).writeLong(6L).writeFloatLE(0.25f).writeFloatLE(-8f);
    String handBuilt = ByteBufUtil.hexDump(b);
    Values v = (Values) decode(b);
    assertEquals(new Header(0, 0, 77, 5, 12L, 99L), v.header());
    assertEquals(6L, v.clock());
    assertArrayEquals(new float[] {0.25f, -8f}, v.values());
    assertEquals(handBuilt, ByteBufUtil.hexDump(encode(v)));
  }

  @Test
  void rejectsBadMagicNamingIt() {
    var e = assertThrows(CorruptedFrameException.class,
        () -> decode(header(0xdeadbeef, 1, 12, 0)));
    assertTrue(e.getMessage().contains("0xdeadbeef"), e.getMessage());
    assertTrue(e.getMessage().contains("0x50535331"), e.getMessage());
  }

  @Test
  void rejectsUnknownTypeIds() {
    for (int id : new int[] {0, 4, 99, 127, -16}) {
      var e = assertThrows(CorruptedFrameException.class, () -> decode(header(MAGIC, V, id, 0)));
      assertTrue(e.getMessage().contains("type " + id), e.getMessage());
    }
  }

  @Test
  void rejectsOtherProtocolVersions() {
    var e = assertThrows(CorruptedFrameException.class,
        () -> decode(header(MAGIC, 1, 12, 0)));
    assertTrue(e.getMessage().contains("protocol version 1 "), e.getMessage());
    assertTrue(e.getMessage().contains("speaks 2"), e.getMessage());
  }

  @Test
  void rejectsOversizedFrameAsSoonAsItsHeaderArrives() {
    EmbeddedChannel decoder = new EmbeddedChannel(authenticated(1024));
    var e = assertThrows(TooLongFrameException.class,
        () -> decoder.writeInbound(header(MAGIC, V, 13, 2000)));
    assertTrue(e.getMessage().contains("2044"), e.getMessage());
    assertTrue(e.getMessage().contains("1024"), e.getMessage());
    assertTrue(e.getMessage().contains("spark.ps.transport.maxFrameBytes"), e.getMessage());
    discard(decoder);
    assertThrows(TooLongFrameException.class,
        () -> decode(1024, header(MAGIC, V, 13, -1)));
    assertThrows(TooLongFrameException.class,
        () -> decode(1024, header(MAGIC, V, 13, Integer.MAX_VALUE)));
  }

  @Test
  void acceptsAFrameOfExactlyTheLimit() {
    Values v = new Values(1, 1, 1, 1,
        new float[(1024 - FrameEncoder.HEADER_BYTES - Long.BYTES) / 4]);
    assertArrayEquals(v.values(), ((Values) decode(1024, encode(v))).values());
  }

  @Test
  void rejectsPayloadsThatDoNotParse() {
    ByteBuf failure = header(MAGIC, V, 16, 9).writeBoolean(true).writeInt(1000)
        .writeBytes(new byte[4]);
    var e = assertThrows(CorruptedFrameException.class, () -> decode(failure));
    assertTrue(e.getMessage().contains("1000"), e.getMessage());
    ByteBuf register = header(MAGIC, V, 20, 2).writeShort(0);
    assertThrows(CorruptedFrameException.class, () -> decode(register));
    ByteBuf ack = header(MAGIC, V, 15, 4).writeInt(7);
    e = assertThrows(CorruptedFrameException.class, () -> decode(ack));
    assertTrue(e.getMessage().contains("left over"), e.getMessage());
    ByteBuf update = header(MAGIC, V, 13, 14).writeZero(14);
    assertThrows(CorruptedFrameException.class, () -> decode(update));
    ByteBuf create = header(MAGIC, V, 10, 29).writeByte(9).writeZero(28);
    e = assertThrows(CorruptedFrameException.class, () -> decode(create));
    assertTrue(e.getMessage().contains("optimizer id 9"), e.getMessage());
  }

  private static ByteBuf header(int magic, int version, int type, int payloadLength) {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(magic).writeByte(version).writeByte(type).writeShort(0);
    b.writeZero(24).writeLong(1L).writeInt(payloadLength);
    return b;
  }

  private static ByteBuf encode(Message msg) {
    EmbeddedChannel encoder = new EmbeddedChannel(FrameEncoder.INSTANCE);
    assertTrue(encoder.writeOutbound(msg));
    ByteBuf frame = encoder.readOutbound();
    encoder.finishAndReleaseAll();
    return frame;
  }

  private static Message decode(ByteBuf frame) {
    return decode(MAX_FRAME, frame);
  }

  private static Message decode(int maxFrame, ByteBuf frame) {
    EmbeddedChannel decoder = new EmbeddedChannel(authenticated(maxFrame));
    try {
      decoder.writeInbound(frame);
    } catch (RuntimeException e) {
      discard(decoder);
      throw e;
    }
    Message msg = decoder.readInbound();
    decoder.finishAndReleaseAll();
    return msg;
  }

  /** Closes a decoder that failed; it raises its error again on close, with the bytes it kept. */
  /** A decoder past the handshake, with the full frame limit. */
  private static FrameDecoder authenticated(int maxFrame) {
    FrameDecoder d = new FrameDecoder(maxFrame);
    d.authenticated();
    return d;
  }

  @Test
  void beforeAuthenticationOnlyHandshakeSizedFramesAreAccepted() {
    EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
    ByteBuf frame = Unpooled.buffer();
    FrameEncoder.write(new Values(1, 1, 1, 1, new float[512]), frame);
    TooLongFrameException e = assertThrows(TooLongFrameException.class,
        () -> decoder.writeInbound(frame));
    assertTrue(e.getMessage().contains("before authentication"), e.getMessage());
    assertTrue(e.getMessage().contains(Integer.toString(FrameDecoder.HANDSHAKE_FRAME_BYTES)),
        e.getMessage());
    decoder.finishAndReleaseAll();
  }

  private static void discard(EmbeddedChannel decoder) {
    try {
      decoder.finishAndReleaseAll();
    } catch (DecoderException expected) {
      // The same error the test already checked.
    }
  }

  /** Same type and equal record components; arrays by content. */
  static void assertSameMessage(Message expected, Object actual) {
    assertEquals(expected.getClass(), actual == null ? null : actual.getClass());
    for (RecordComponent rc : expected.getClass().getRecordComponents()) {
      try {
        Object e = rc.getAccessor().invoke(expected);
        Object a = rc.getAccessor().invoke(actual);
        if (e instanceof float[] ef) {
          assertArrayEquals(ef, (float[]) a, rc.getName());
        } else if (e instanceof byte[] eb) {
          assertArrayEquals(eb, (byte[]) a, rc.getName());
        } else if (e instanceof int[] ei) {
          assertArrayEquals(ei, (int[]) a, rc.getName());
        } else if (e instanceof double[] ed) {
          assertArrayEquals(ed, (double[]) a, rc.getName());
        } else if (e instanceof long[] el) {
          assertArrayEquals(el, (long[]) a, rc.getName());
        } else if (e instanceof Object[] eo) {
          assertArrayEquals(eo, (Object[]) a, rc.getName());
        } else {
          assertEquals(e, a, rc.getName());
        }
      } catch (ReflectiveOperationException x) {
        throw new AssertionError(x);
      }
    }
    assertEquals(expected.header(), ((Message) actual).header());
  }
}
