package io.sparkps.bench.transport;

import io.sparkps.client.ParamLayout;
import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.cluster.PsCluster;
import io.sparkps.transport.SliceSetup;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.FloatSink;
import io.sparkps.transport.FrameEncoder;
import io.sparkps.transport.Stats;
import io.sparkps.transport.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spark-ps side of the dense exchange: one param of equal slices on server 0 (SGD, one
 * share per step), pushed round robin with the client's zero-copy calls: every push sends the
 * same 4 MiB gradient array (as the raw echo sends one buffer) and its answer is written into
 * the slice's region of an array of the whole param, as a training step does; every answer
 * must hold the whole slice.
 */
final class DenseExchange {
  /** Payload bytes of an UPDATE besides its floats: group, shares, examples. */
  static final int UPDATE_OVERHEAD = 3 * Integer.BYTES;
  /** Payload bytes of VALUES besides its floats: the clock. */
  static final int VALUES_OVERHEAD = Long.BYTES;

  private final PsClient client;
  private final List<SliceInfo> slices = new ArrayList<>();
  private final float[] gradient;
  private final float[] values;
  private final AtomicLong answered = new AtomicLong();
  private long pushes;

  DenseExchange(PsCluster cluster, int paramId, int numSlices, int sliceFloats) {
    this.client = cluster.client();
    this.gradient = new float[sliceFloats];
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] = (i % 7) - 3;
    }
    this.values = new float[numSlices * sliceFloats];
    for (int s = 0; s < numSlices; s++) {
      slices.add(TransportBench.slice(paramId, s, sliceFloats));
    }
    cluster.createSlices(slices, TransportBench.sgd(), SliceSetup.single(1),
        ParamLayout.InitialValues.zeros());
  }

  /** {@code requests} pushes, {@code window} in flight. */
  void round(int requests, int window, long timeoutMs)
      throws InterruptedException, TimeoutException {
    long first = pushes;
    int n = slices.size();
    // Push k goes to slice k % n as its step k / n: each slice gets its steps in order, as the
    // servers apply them.
    Window.run(requests, window, timeoutMs, i -> {
      long k = first + i;
      SliceInfo s = slices.get((int) (k % n));
      int at = (int) s.offset();
      return client.push(s, Share.of(k / n, 0, 0, 1), gradient, 0,
          new FloatSink(values, at, s.length())).thenAccept(v -> check(s, v));
    });
    pushes += requests;
  }

  private void check(SliceInfo s, Values v) {
    int floats = s.length();
    if (v.payload().length() != floats || v.sliceId() != s.sliceId()) {
      throw new IllegalStateException("answer for slice " + s.sliceId() + " holds "
          + v.payload().length() + " floats of slice " + v.sliceId() + ", expected " + floats);
    }
    answered.addAndGet(FrameEncoder.HEADER_BYTES + VALUES_OVERHEAD
        + (long) floats * Float.BYTES);
  }

  /** Frame bytes of the answers received. */
  long bytesAnswered() {
    return answered.get();
  }

  /** Payload bytes of UPDATEs the server counted over all slices. */
  long serverPayloadBytesIn() {
    long total = 0;
    for (SliceInfo s : slices) {
      Stats st = PsClient.await(client.stats(s), client.timeoutMs());
      total += st.bytesReceived();
    }
    return total;
  }

  /** Payload bytes of the UPDATEs sent. */
  long expectedPayloadBytesIn() {
    return pushes * (UPDATE_OVERHEAD + (long) slices.get(0).length() * Float.BYTES);
  }
}
