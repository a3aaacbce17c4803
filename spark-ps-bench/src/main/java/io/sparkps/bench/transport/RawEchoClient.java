package io.sparkps.bench.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client side of the raw baseline: sends messages of one size to a {@link RawEchoPeer}
 * with a window of them in flight, a second thread reading the echoes, and checks that each
 * echo is the message sent.
 */
final class RawEchoClient implements AutoCloseable {
  private final SocketChannel channel;

  RawEchoClient(int port) throws IOException {
    channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    channel.socket().setTcpNoDelay(true);
  }

  /**
   * Sends {@code requests} messages of {@code payload}'s bytes, at most {@code window} of them
   * unanswered; returns the bytes received (lengths included) once every echo is back.
   *
   * @throws TimeoutException when the echoes take longer than {@code timeoutMs}
   */
  long round(ByteBuffer payload, int requests, int window, long timeoutMs)
      throws IOException, InterruptedException, TimeoutException {
    Semaphore slots = new Semaphore(window);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    long[] received = {0};
    int n = payload.remaining();
    Thread reader = new Thread(() -> {
      ByteBuffer length = ByteBuffer.allocateDirect(Integer.BYTES);
      ByteBuffer body = ByteBuffer.allocateDirect(n);
      try {
        for (int i = 0; i < requests; i++) {
          length.clear();
          body.clear();
          if (!RawEchoPeer.readFully(channel, length) || !RawEchoPeer.readFully(channel, body)) {
            throw new IOException("the raw peer closed the connection after " + i + " echoes");
          }
          if (length.getInt(0) != n || !sameEnds(body.flip(), payload)) {
            throw new IOException("echo " + i + " differs from the message sent");
          }
          received[0] += Integer.BYTES + n;
          slots.release();
        }
      } catch (IOException | RuntimeException e) {
        failed.set(e);
        slots.release(window);
      }
    }, "raw-echo-reader");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    ByteBuffer length = ByteBuffer.allocateDirect(Integer.BYTES);
    for (int i = 0; i < requests && failed.get() == null; i++) {
      if (!slots.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        break;
      }
      length.clear();
      length.putInt(0, n);
      ByteBuffer body = payload.duplicate();
      channel.write(new ByteBuffer[] {length, body});
      while (body.hasRemaining()) {
        channel.write(body);
      }
    }
    reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    if (reader.isAlive()) {
      channel.close();
      reader.join(5_000);
      throw new TimeoutException("raw echoes not back within " + timeoutMs + " ms");
    }
    if (failed.get() != null) {
      throw new IOException("raw round failed: " + failed.get(), failed.get());
    }
    return received[0];
  }

  /** Whether the first and last bytes agree: enough to catch a lost or shifted message. */
  private static boolean sameEnds(ByteBuffer a, ByteBuffer b) {
    int k = Math.min(64, b.remaining());
    int at = b.position();
    return a.remaining() == b.remaining()
        && a.slice(0, k).equals(b.slice(at, k))
        && a.slice(a.remaining() - k, k).equals(b.slice(at + b.remaining() - k, k));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
