package io.sparkps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.server.optim.Optimizers;
import io.sparkps.transport.FrameDecoder;
import io.sparkps.transport.Message;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.Update;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The answers a {@link SliceState} releases carry the values of their own version, even when
 * they are sent after a later update changed the slice: a channel's answer is encoded from the
 * slice while it is locked, an in-JVM answer gets a copy.
 */
class SliceStateAnswerTest {
  private static final float LR = 0.5f;
  private static final float[] INITIAL = {1f, 2f, 3f};
  private static final SliceState.Answer NO_ANSWER = new SliceState.Answer() {
    @Override
    public void send() {
    }

    @Override
    public void fail(io.sparkps.transport.Failure.Kind kind, String message) {
    }
  };

  private static SliceState slice(int sharesPerStep) {
    return new SliceState(7, 0, INITIAL.clone(), Optimizers.create(OptimizerConfig.sgd(LR),
        INITIAL.length), new SliceSetup(sharesPerStep, 0, 1, SliceSetup.UNBOUNDED, 1, "", 1));
  }

  private static Update share(long requestId, int worker, long step, float... gradient) {
    return new Update(requestId, worker, 7, 0, step, 0, 1, 1, gradient);
  }

  /** {@code w - lr * sum(gradients) / examples}. */
  private static float[] sgd(float[] w, int examples, float[]... gradients) {
    float[] out = w.clone();
    for (int i = 0; i < out.length; i++) {
      float sum = 0;
      for (float[] g : gradients) {
        sum += g[i];
      }
      out[i] -= LR * (sum * (1f / examples));
    }
    return out;
  }

  private static Values decode(ByteBuf frame) {
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(1 << 20));
    in.writeInbound(frame);
    Values v = in.readInbound();
    in.finishAndReleaseAll();
    return v;
  }

  @Test
  void aFrameMadeForAChannelDoesNotSeeALaterUpdate() {
    SliceState slice = slice(1);
    EmbeddedChannel channel = new EmbeddedChannel();
    Peer peer = Peer.of(channel);
    float[] g = {2f, 4f, 6f};
    SliceState.Effects first = slice.update(share(1, 0, 0, g), (version, clock, values) ->
        peer.values(1, 7, 0, version, clock, values));
    slice.update(share(2, 0, 1, g), (version, clock, values) -> NO_ANSWER);

    first.answer();
    Values v = decode(channel.readOutbound());
    assertEquals(1, v.requestId());
    assertEquals(1, v.version());
    assertEquals(1, v.clock());
    float[] afterFirst = sgd(INITIAL, 1, g);
    assertArrayEquals(afterFirst, v.values(), 0f);
    assertArrayEquals(sgd(afterFirst, 1, g), slice.valuesNow(), 0f);
    assertNull(channel.readOutbound());
  }

  @Test
  void anInJvmAnswerKeepsACopyThatALaterUpdateDoesNotChange() {
    SliceState slice = slice(1);
    List<Message> answers = new ArrayList<>();
    Peer peer = Peer.of(answers::add);
    float[] g = {2f, 4f, 6f};
    SliceState.Effects first = slice.update(share(1, 0, 0, g), (version, clock, values) ->
        peer.values(1, 7, 0, version, clock, values));
    slice.update(share(2, 0, 1, g), (version, clock, values) -> NO_ANSWER);

    first.answer();
    assertEquals(1, answers.size());
    assertArrayEquals(sgd(INITIAL, 1, g), ((Values) answers.get(0)).values(), 0f);
  }

  @Test
  void theSharesOfAStepAreSummedAndEveryShareIsAnsweredWithTheResult() {
    SliceState slice = slice(3);
    List<Message> local = new ArrayList<>();
    Peer inJvm = Peer.of(local::add);
    EmbeddedChannel channel = new EmbeddedChannel();
    Peer remote = Peer.of(channel);
    float[] a = {1f, 0f, -2f};
    float[] b = {0f, 3f, 1f};
    float[] c = {4f, 1f, 1f};
    List<SliceState.Effects> effects = new ArrayList<>();
    effects.add(slice.update(share(1, 0, 0, a), (version, clock, values) ->
        inJvm.values(1, 7, 0, version, clock, values)));
    effects.add(slice.update(share(2, 1, 0, b), (version, clock, values) ->
        inJvm.values(2, 7, 0, version, clock, values)));
    effects.add(slice.update(share(3, 2, 0, c), (version, clock, values) ->
        remote.values(3, 7, 0, version, clock, values)));
    slice.update(share(4, 0, 1, a), (version, clock, values) -> NO_ANSWER);
    effects.forEach(SliceState.Effects::answer);

    float[] expected = sgd(INITIAL, 3, a, b, c);
    assertEquals(2, local.size());
    Values first = (Values) local.get(0);
    Values second = (Values) local.get(1);
    assertArrayEquals(expected, first.values(), 0f);
    assertSame(first.values(), second.values(), "one copy for the answers of one release");
    Values overChannel = decode(channel.readOutbound());
    assertEquals(3, overChannel.requestId());
    assertArrayEquals(expected, overChannel.values(), 0f);
  }

  @Test
  void aGetAnsweredAtOnceIsMadeBeforeTheNextUpdate() {
    SliceState slice = slice(1);
    EmbeddedChannel channel = new EmbeddedChannel();
    Peer peer = Peer.of(channel);
    SliceState.Answer send = slice.getOrWait(0, (version, clock, values) ->
        peer.values(9, 7, 0, version, clock, values));
    slice.update(share(1, 0, 0, 1f, 1f, 1f), (version, clock, values) -> NO_ANSWER);

    send.send();
    Values v = decode(channel.readOutbound());
    assertEquals(0, v.version());
    assertArrayEquals(INITIAL, v.values(), 0f);
  }

  @Test
  void theAnswerToASyncCarriesTheMasterValuesWithTheDeltaAndNoLaterUpdate() {
    SliceState slice = slice(1);
    EmbeddedChannel channel = new EmbeddedChannel();
    Peer peer = Peer.of(channel);
    SliceState.Answer send = slice.addDelta(new float[] {1f, 1f, 1f}, (version, clock, values) ->
        peer.values(4, 7, 0, version, clock, values));
    slice.update(share(1, 0, 0, 1f, 1f, 1f), (version, clock, values) -> NO_ANSWER);

    send.send();
    Values v = decode(channel.readOutbound());
    assertEquals(4, v.requestId());
    assertEquals(0, v.version());
    assertArrayEquals(new float[] {2f, 3f, 4f}, v.values(), 0f);
  }

  @Test
  void theAnswersOfAStepShareOneEncodedCopyTakenRightAfterTheStep() {
    int n = 3 * 8192 + 1; // above what is copied into each frame
    float[] initial = new float[n];
    java.util.Arrays.fill(initial, 1f);
    SliceState slice = new SliceState(7, 0, initial, Optimizers.create(OptimizerConfig.sgd(LR),
        n), new SliceSetup(2, 0, 1, SliceSetup.UNBOUNDED, 1, "", 1));
    EmbeddedChannel first = new EmbeddedChannel();
    EmbeddedChannel second = new EmbeddedChannel();
    float[] g = new float[n];
    java.util.Arrays.fill(g, 2f);
    List<SliceState.Effects> effects = new ArrayList<>();
    effects.add(slice.update(new Update(1, 0, 7, 0, 0, 0, 1, 1, g), (version, clock, values) ->
        Peer.of(first).values(1, 7, 0, version, clock, values)));
    effects.add(slice.update(new Update(2, 1, 7, 0, 0, 0, 1, 1, g), (version, clock, values) ->
        Peer.of(second).values(2, 7, 0, version, clock, values)));
    // The next step changes the slice before the answers of the first go out.
    slice.update(new Update(3, 0, 7, 0, 1, 0, 1, 1, g), (version, clock, values) -> NO_ANSWER);
    slice.update(new Update(4, 1, 7, 0, 1, 0, 1, 1, g), (version, clock, values) -> NO_ANSWER);
    effects.forEach(SliceState.Effects::answer);

    ByteBuf a = first.readOutbound();
    ByteBuf b = second.readOutbound();
    assertEquals(((io.netty.buffer.CompositeByteBuf) a).component(1).memoryAddress(),
        ((io.netty.buffer.CompositeByteBuf) b).component(1).memoryAddress(),
        "both answers send the same encoded floats");
    float[] expected = new float[n];
    java.util.Arrays.fill(expected, 1f - LR * 4f / 2f);
    assertEquals(1, a.getLong(32), "request id");
    assertEquals(2, b.getLong(32), "request id");
    assertEquals(1, a.getLong(24), "version");
    assertArrayEquals(expected, floatsOf(a), 0f);
    assertArrayEquals(expected, floatsOf(b), 0f);
    a.release();
    b.release();
    assertArrayEquals(new float[] {1f - 2 * LR * 4f / 2f}, new float[] {slice.valuesNow()[0]},
        0f);
  }

  /** The floats of a VALUES frame (read by hand: it is above the unauthenticated limit). */
  private static float[] floatsOf(ByteBuf frame) {
    int at = io.sparkps.transport.FrameEncoder.HEADER_BYTES + Long.BYTES;
    float[] out = new float[(frame.readableBytes() - at) / Float.BYTES];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.intBitsToFloat(frame.getIntLE(at + i * Float.BYTES));
    }
    return out;
  }
}
