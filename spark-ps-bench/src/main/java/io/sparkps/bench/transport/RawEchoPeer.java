package io.sparkps.bench.transport;

import io.sparkps.bench.Jvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The raw baseline of {@link TransportBench}: a process that answers every message with the
 * same bytes, over a plain blocking socket and without looking at them. A message is a
 * big-endian int length and that many bytes. It prints {@code port N} once it listens on
 * 127.0.0.1, and exits when its standard input closes, so it never outlives its parent.
 */
public final class RawEchoPeer implements AutoCloseable {
  private static final String PORT_LINE = "port ";

  private final Process process;
  private final int port;
  private final Thread shutdownHook;

  private RawEchoPeer(Process process, int port) {
    this.process = process;
    this.port = port;
    this.shutdownHook = new Thread(process::destroyForcibly, "raw-echo-peer-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a peer JVM, its output in {@code log}, and waits up to 30 s for its port. */
  static RawEchoPeer start(Path log) throws IOException, InterruptedException {
    Process p = Jvm.start(RawEchoPeer.class, "256m", List.of(), List.of(), log);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && p.isAlive()) {
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith(PORT_LINE)) {
            return new RawEchoPeer(p, Integer.parseInt(line.substring(PORT_LINE.length())));
          }
        }
        Thread.sleep(50);
      }
      throw new IOException("raw echo peer did not report its port within 30 s; log " + log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook stops the peer.
    }
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  public static void main(String[] args) throws IOException {
    Thread parentWatch = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // Nothing is sent on stdin; end of input means the parent is gone.
        }
      } catch (IOException e) {
        // The same: stop.
      }
      System.exit(0);
    }, "parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      System.out.println(PORT_LINE + ((InetSocketAddress) server.getLocalAddress()).getPort());
      System.out.flush();
      while (true) {
        SocketChannel ch = server.accept();
        Thread t = new Thread(() -> echo(ch), "echo");
        t.setDaemon(true);
        t.start();
      }
    }
  }

  private static void echo(SocketChannel ch) {
    ByteBuffer length = ByteBuffer.allocateDirect(Integer.BYTES);
    ByteBuffer body = ByteBuffer.allocateDirect(0);
    try (ch) {
      ch.socket().setTcpNoDelay(true);
      while (true) {
        length.clear();
        if (!readFully(ch, length)) {
          return;
        }
        int n = length.getInt(0);
        if (body.capacity() < n) {
          body = ByteBuffer.allocateDirect(n);
        }
        body.clear().limit(n);
        if (!readFully(ch, body)) {
          return;
        }
        length.flip();
        body.flip();
        ch.write(new ByteBuffer[] {length, body});
        while (body.hasRemaining()) {
          ch.write(body);
        }
      }
    } catch (IOException e) {
      System.out.println("connection closed: " + e);
    }
  }

  /** Fills {@code buf}; false at end of stream. */
  static boolean readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        return false;
      }
    }
    return true;
  }
}
