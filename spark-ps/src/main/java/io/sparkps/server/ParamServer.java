package io.sparkps.server;

import io.netty.channel.Channel;
import io.sparkps.server.optim.Optimizers;
import io.sparkps.transport.Ack;
import io.sparkps.transport.CreateSlice;
import io.sparkps.transport.DropParam;
import io.sparkps.transport.Failure;
import io.sparkps.transport.Get;
import io.sparkps.transport.Message;
import io.sparkps.transport.RequestHandler;
import io.sparkps.transport.Update;
import io.sparkps.transport.Values;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request handling of one parameter server: holds its slices and answers CREATE_SLICE,
 * DROP_PARAM, GET and UPDATE. Runs on the transport's event loops and never blocks: a GET for a
 * version the slice does not have yet is parked and answered by the update that reaches it, or
 * with a retriable {@link Failure} after {@code waitTimeoutMs}.
 */
public final class ParamServer implements RequestHandler {
  private final long waitTimeoutMs;
  private final Map<Long, SliceState> slices = new ConcurrentHashMap<>();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();

  public ParamServer(long waitTimeoutMs) {
    this.waitTimeoutMs = waitTimeoutMs;
  }

  private static long key(int paramId, int sliceId) {
    return ((long) paramId << 32) | (sliceId & 0xffffffffL);
  }

  @Override
  public void handle(Channel peer, Message message) {
    messages.incrementAndGet();
    bytesIn.addAndGet(message.payloadLength());
    if (message instanceof Update u) {
      slice(u.paramId(), u.sliceId()).update(u,
          (version, values) -> peer.writeAndFlush(
              new Values(u.requestId(), u.paramId(), u.sliceId(), version, values)));
    } else if (message instanceof Get g) {
      get(peer, g);
    } else if (message instanceof CreateSlice c) {
      slices.put(key(c.paramId(), c.sliceId()), new SliceState(c.values(),
          Optimizers.create(c.optimizer(), c.values().length), c.sharesPerStep()));
      peer.writeAndFlush(new Ack(c.requestId()));
    } else if (message instanceof DropParam d) {
      slices.keySet().removeIf(k -> (int) (k >>> 32) == d.paramId());
      peer.writeAndFlush(new Ack(d.requestId()));
    } else {
      throw new IllegalArgumentException("a server does not take " + message.type());
    }
  }

  private void get(Channel peer, Get g) {
    SliceState slice = slice(g.paramId(), g.sliceId());
    SliceState.Reply reply = (version, values) -> peer.writeAndFlush(
        new Values(g.requestId(), g.paramId(), g.sliceId(), version, values));
    SliceState.Snapshot now = slice.getOrWait(g.minVersion(), reply);
    if (now != null) {
      reply.values(now.version(), now.values());
      return;
    }
    peer.eventLoop().schedule(() -> {
      if (slice.cancel(reply)) {
        peer.writeAndFlush(new Failure(g.requestId(), true, "param " + g.paramId() + " slice "
            + g.sliceId() + " did not reach version " + g.minVersion() + " within "
            + waitTimeoutMs + " ms (spark.ps.rpc.timeout); it is at " + slice.version()));
      }
    }, waitTimeoutMs, TimeUnit.MILLISECONDS);
  }

  private SliceState slice(int paramId, int sliceId) {
    SliceState s = slices.get(key(paramId, sliceId));
    if (s == null) {
      throw new IllegalArgumentException(
          "this server holds no slice " + sliceId + " of param " + paramId);
    }
    return s;
  }

  /** Messages handled so far. */
  public long messagesHandled() {
    return messages.get();
  }

  /** Payload bytes received so far. */
  public long payloadBytesIn() {
    return bytesIn.get();
  }

  public int numSlices() {
    return slices.size();
  }
}
