package io.sparkps.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.sparkps.transport.Failure;
import io.sparkps.transport.Message;
import io.sparkps.transport.Values;
import io.sparkps.transport.ValuesFrames;
import java.util.function.Consumer;

/**
 * Where the answers to one request go: a Netty channel, or a callback in the same JVM. A VALUES
 * answer is made while its slice is locked ({@link #values}), so that it carries the values of
 * its version and no later update: the slice is copied once for all the answers of a release.
 */
interface Peer {
  /** Sends an answer that no one else changes. */
  void send(Message answer);

  /**
   * Makes the VALUES answer from {@code values} while the slice is locked; it is sent (or
   * replaced by a failure) once the lock is released.
   */
  SliceState.Answer values(long requestId, int paramId, int sliceId, long version, long clock,
      SliceState.Selection values);

  /**
   * Answers over {@code channel}: VALUES share the bytes their selection encoded once (see
   * {@link ValuesFrames}).
   */
  static Peer of(Channel channel) {
    return new Peer() {
      @Override
      public void send(Message answer) {
        channel.writeAndFlush(answer);
      }

      @Override
      public SliceState.Answer values(long requestId, int paramId, int sliceId, long version,
          long clock, SliceState.Selection values) {
        ByteBuf frame = ValuesFrames.frame(channel.alloc(), requestId, paramId, sliceId,
            version, clock, values.encoded(channel.alloc()));
        return new SliceState.Answer() {
          @Override
          public void send() {
            channel.writeAndFlush(frame);
          }

          @Override
          public void fail(Failure.Kind kind, String message) {
            frame.release();
            channel.writeAndFlush(new Failure(requestId, kind, message));
          }
        };
      }
    };
  }

  /** Answers to {@code reply}: VALUES get a copy of the values, which the receiver may keep. */
  static Peer of(Consumer<Message> reply) {
    return new Peer() {
      @Override
      public void send(Message answer) {
        reply.accept(answer);
      }

      @Override
      public SliceState.Answer values(long requestId, int paramId, int sliceId, long version,
          long clock, SliceState.Selection values) {
        Values answer = new Values(requestId, paramId, sliceId, version, clock, values.keep());
        return new SliceState.Answer() {
          @Override
          public void send() {
            reply.accept(answer);
          }

          @Override
          public void fail(Failure.Kind kind, String message) {
            reply.accept(new Failure(requestId, kind, message));
          }
        };
      }
    };
  }
}
