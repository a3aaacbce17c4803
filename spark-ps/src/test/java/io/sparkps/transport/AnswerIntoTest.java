package io.sparkps.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Answers decoded into arrays the caller owns: a VALUES frame that arrives in odd chunks (so
 * that floats straddle the received buffers) is written straight into the caller's region, and
 * the frame is freed; VALUES frames made from one shared body carry the right bytes.
 */
class AnswerIntoTest {
  private static final int MAX_FRAME = 1 << 22;

  private static float[] randomFloats(int n, long seed) {
    Random random = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextFloat() - 0.5f;
    }
    return out;
  }

  /** A client over an embedded channel whose inbound side is a frame decoder. */
  private static EmbeddedChannel clientChannel(ResponseHandler responses) {
    FrameDecoder frames = new FrameDecoder(MAX_FRAME);
    frames.authenticated();
    return new EmbeddedChannel(frames, responses);
  }

  @Test
  void aValuesFrameInOddChunksIsDecodedIntoTheCallersRegion() throws Exception {
    ResponseHandler responses = new ResponseHandler(m -> { });
    EmbeddedChannel channel = clientChannel(responses);
    TransportClient client = new TransportClient(channel, 10_000);
    responses.attach(client);
    float[] into = new float[3 + 70_000 + 5];
    java.util.Arrays.fill(into, -7f);
    CompletableFuture<Message> f = client.request(id -> new Get(id, 1, 2, 0),
        new FloatSink(into, 3, 70_000));
    Get sent = channel.readOutbound();
    float[] values = randomFloats(70_000, 1);
    ByteBuf frame = Unpooled.directBuffer();
    FrameEncoder.write(new Values(sent.requestId(), 1, 2, 9, 4, values), frame);
    while (frame.isReadable()) {
      channel.writeInbound(frame.readRetainedSlice(Math.min(4093, frame.readableBytes())));
    }
    Values v = (Values) f.get();
    assertEquals(9, v.version());
    assertEquals(4, v.clock());
    assertFalse(v.payload().isBuffer(), "handed over as a view of the caller's region");
    assertEquals(-7f, into[2]);
    assertEquals(-7f, into[3 + 70_000]);
    assertArrayEquals(values, java.util.Arrays.copyOfRange(into, 3, 3 + 70_000), 0f);
    assertArrayEquals(values, v.values(), 0f);
    assertTrue(frame.release());
    channel.finishAndReleaseAll();
  }

  @Test
  void anAnswerOfAnotherLengthFailsTheRequest() {
    ResponseHandler responses = new ResponseHandler(m -> { });
    EmbeddedChannel channel = clientChannel(responses);
    TransportClient client = new TransportClient(channel, 10_000);
    responses.attach(client);
    CompletableFuture<Message> f = client.request(id -> new Get(id, 1, 2, 0),
        new FloatSink(new float[4], 0, 4));
    Get sent = channel.readOutbound();
    ByteBuf frame = Unpooled.buffer();
    FrameEncoder.write(new Values(sent.requestId(), 1, 2, 9, 4, new float[3]), frame);
    channel.writeInbound(frame);
    ExecutionException e = assertThrows(ExecutionException.class, f::get);
    assertTrue(e.getCause().getMessage().contains("3 floats for a region of 4"),
        e.getCause().getMessage());
    channel.finishAndReleaseAll();
  }

  @Test
  void withoutASinkAnAnswerGetsItsOwnArrayAndTheFrameIsFreed() throws Exception {
    ResponseHandler responses = new ResponseHandler(m -> { });
    EmbeddedChannel channel = clientChannel(responses);
    TransportClient client = new TransportClient(channel, 10_000);
    responses.attach(client);
    CompletableFuture<Message> f = client.request(id -> new Get(id, 1, 2, 0));
    Get sent = channel.readOutbound();
    ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer();
    FrameEncoder.write(new Values(sent.requestId(), 1, 2, 9, 4, new float[] {1f, 2f}), frame);
    channel.writeInbound(frame);
    Values v = (Values) f.get();
    assertFalse(v.payload().isBuffer());
    assertArrayEquals(new float[] {1f, 2f}, v.values(), 0f);
    assertEquals(0, frame.refCnt());
    channel.finishAndReleaseAll();
  }

  @Test
  void framesSharingOneBodyCarryTheirOwnHeadersAndTheSameFloats() {
    float[] values = randomFloats(3 * FrameEncoder.PIECE_BYTES / Float.BYTES + 3, 2);
    ByteBuf body = ValuesFrames.body(PooledByteBufAllocator.DEFAULT, values);
    ByteBuf a = ValuesFrames.frame(PooledByteBufAllocator.DEFAULT, 11, 1, 2, 5, 3, body);
    ByteBuf b = ValuesFrames.frame(PooledByteBufAllocator.DEFAULT, 12, 1, 2, 5, 3, body);
    assertTrue(body.release() == false, "the frames hold the body");
    values[0] = 99f; // the slice changes after the answers are made: they keep their bytes
    float[] expected = randomFloats(values.length, 2);
    for (ByteBuf frame : new ByteBuf[] {a, b}) {
      FrameDecoder frames = new FrameDecoder(MAX_FRAME);
      frames.authenticated();
      EmbeddedChannel decoder = new EmbeddedChannel(frames);
      decoder.writeInbound(frame);
      Values v = decoder.readInbound();
      assertEquals(frame == a ? 11 : 12, v.requestId());
      assertEquals(5, v.version());
      assertEquals(3, v.clock());
      assertArrayEquals(expected, v.values(), 0f);
      HoldsFloats.release(v);
      decoder.finishAndReleaseAll();
    }
    assertEquals(0, body.refCnt(), "freed with the last frame");
  }

  @Test
  void aSmallBodyIsCopiedIntoOneBuffer() {
    ByteBuf body = ValuesFrames.body(PooledByteBufAllocator.DEFAULT, new float[] {4f, 5f, 6f},
        new int[] {0, 2}, 1);
    ByteBuf frame = ValuesFrames.frame(PooledByteBufAllocator.DEFAULT, 7, 1, 2, 0, 0, body);
    assertSame(body.release(), true);
    FrameDecoder frames = new FrameDecoder(MAX_FRAME);
    frames.authenticated();
    EmbeddedChannel decoder = new EmbeddedChannel(frames);
    decoder.writeInbound(frame);
    Values v = decoder.readInbound();
    assertArrayEquals(new float[] {4f, 6f}, v.values(), 0f);
    HoldsFloats.release(v);
    decoder.finishAndReleaseAll();
  }
}
