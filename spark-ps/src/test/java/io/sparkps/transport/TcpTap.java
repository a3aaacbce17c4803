package io.sparkps.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy for tests, between clients and a server on 127.0.0.1: forwards every connection
 * to the server and records every byte that passes, each way; can inject bytes into the newest
 * connection toward the server. When either side closes, it closes both sides of that
 * connection, so the other side sees the close. {@link #close()} ends its sockets and threads.
 */
final class TcpTap implements AutoCloseable {
  private final ServerSocket listening;
  private final InetSocketAddress server;
  private final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
  private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile OutputStream newestUpstream;

  TcpTap(InetSocketAddress server) throws IOException {
    this.server = server;
    this.listening = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    this.acceptor = start("tap-accept", this::acceptLoop);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(listening.getInetAddress(), listening.getLocalPort());
  }

  /** Every byte clients sent to the server so far. */
  byte[] sentToServer() {
    synchronized (toServer) {
      return toServer.toByteArray();
    }
  }

  /** Every byte the server sent to clients so far. */
  byte[] sentToClient() {
    synchronized (toClient) {
      return toClient.toByteArray();
    }
  }

  /** Sends {@code bytes} to the server on the newest connection, as if its client had. */
  void inject(byte[] bytes) throws IOException {
    OutputStream out = newestUpstream;
    synchronized (out) {
      out.write(bytes);
      out.flush();
    }
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = listening.accept();
        Socket upstream = new Socket(server.getAddress(), server.getPort());
        sockets.add(client);
        sockets.add(upstream);
        OutputStream up = upstream.getOutputStream();
        newestUpstream = up;
        start("tap-up", () -> pump(client, upstream, up, toServer));
        start("tap-down", () -> pump(upstream, client, client.getOutputStream(), toClient));
      }
    } catch (IOException closed) {
      // close() closed the listening socket
    }
  }

  private static void pump(Socket from, Socket to, OutputStream out,
      ByteArrayOutputStream record) {
    byte[] buf = new byte[64 * 1024];
    try (from; to) {
      InputStream in = from.getInputStream();
      for (int n; (n = in.read(buf)) != -1; ) {
        synchronized (record) {
          record.write(buf, 0, n);
        }
        synchronized (out) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side closed or reset: the try closes both
    }
  }

  private Thread start(String name, IoRunnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (IOException e) {
        // a socket closed under it
      }
    }, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return t;
  }

  @FunctionalInterface
  private interface IoRunnable {
    void run() throws IOException;
  }

  @Override
  public void close() throws Exception {
    listening.close();
    acceptor.join(5_000); // no connection starts after this
    for (Socket s : sockets) {
      s.close();
    }
    for (Thread t : threads) {
      t.join(5_000);
    }
  }
}
