package io.sparkps.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.sparkps.client.PsClient;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TransportClientTest {
  private static final int MAX_FRAME = 1 << 20;
  private static final long T = 10_000;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private LocalServer server(RequestHandler handler) {
    LocalServer s = new LocalServer(handler, T, MAX_FRAME);
    toClose.add(s);
    return s;
  }

  private TransportClient client(LocalServer server, long timeoutMs) throws Exception {
    return client(server, timeoutMs, m -> { });
  }

  private TransportClient client(LocalServer server, long timeoutMs,
      Consumer<Message> oneWay) throws Exception {
    Transport t = new Transport("test-client", LocalServer.SECRET, 1, MAX_FRAME, timeoutMs);
    toClose.add(t);
    TransportClient c = server.connect(t, oneWay);
    toClose.add(c);
    return c;
  }

  /** Answers a GET with one float, its slice id, later for lower ids so answers overtake. */
  private static void echoOutOfOrder(Channel peer, Message m) {
    Get g = (Get) m;
    peer.eventLoop().schedule(
        () -> peer.writeAndFlush(new Values(g.requestId(), g.paramId(), g.sliceId(), 0,
            new float[] {g.sliceId()})),
        10 - g.sliceId() % 10, TimeUnit.MILLISECONDS);
  }

  @Test
  void matchesManyConcurrentRequestsToTheirResponses() throws Exception {
    TransportClient client = client(server(TransportClientTest::echoOutOfOrder), T);
    int threads = 4;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<CompletableFuture<Message>>>> sent = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t * perThread;
        sent.add(pool.submit(() -> {
          List<CompletableFuture<Message>> mine = new ArrayList<>();
          for (int i = first; i < first + perThread; i++) {
            int slice = i;
            mine.add(client.request(id -> new Get(id, 1, slice, 0)));
          }
          return mine;
        }));
      }
      for (int t = 0; t < threads; t++) {
        List<CompletableFuture<Message>> mine = sent.get(t).get(T, TimeUnit.MILLISECONDS);
        for (int i = 0; i < perThread; i++) {
          Values v = (Values) mine.get(i).get(T, TimeUnit.MILLISECONDS);
          int slice = t * perThread + i;
          assertEquals(slice, v.sliceId());
          assertArrayEquals(new float[] {slice}, v.values());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void requestsFailNamingThePeerWhenItCloses() throws Exception {
    LinkedBlockingQueue<Channel> peers = new LinkedBlockingQueue<>();
    LocalServer server = server((peer, m) -> peers.add(peer));
    TransportClient client = client(server, T);
    CompletableFuture<Message> first = client.request(id -> new Get(id, 1, 1, 0));
    CompletableFuture<Message> second = client.request(id -> new Get(id, 1, 2, 0));
    Channel peer = peers.poll(T, TimeUnit.MILLISECONDS);
    peers.poll(T, TimeUnit.MILLISECONDS); // both requests arrived and are unanswered
    peer.close();
    for (CompletableFuture<Message> f : List.of(first, second)) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> f.get(T, TimeUnit.MILLISECONDS));
      assertInstanceOf(TransportException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains(":" + server.port()),
          e.getCause().getMessage());
      assertTrue(((TransportException) e.getCause()).isRetriable());
    }
    client.closeFuture().get(T, TimeUnit.MILLISECONDS);
    assertFalse(client.isActive());
    // A request on the dead connection fails at once, naming the peer too.
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.request(id -> new Get(id, 1, 3, 0)).get(T, TimeUnit.MILLISECONDS));
    assertInstanceOf(TransportException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains(":" + server.port()), e.getCause().getMessage());
  }

  @Test
  void requestWithoutAnswerTimesOut() throws Exception {
    LocalServer server = server((peer, m) -> { });
    TransportClient client = client(server, 300);
    long t0 = System.nanoTime();
    CompletableFuture<Message> f = client.request(id -> new Get(id, 1, 1, 0));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(T,
        TimeUnit.MILLISECONDS));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertInstanceOf(TimeoutException.class, e.getCause());
    assertTrue(elapsedMs >= 250 && elapsedMs < 5_000, "timed out after " + elapsedMs + " ms");
    assertTrue(client.isActive(), "a timeout must not close the connection");
    // Through the worker-facing await, the timeout is a retriable TransportException.
    TransportException te = assertThrows(TransportException.class,
        () -> PsClient.await(client.request(id -> new Get(id, 1, 2, 0)), T));
    assertTrue(te.getMessage().contains("no answer within"), te.getMessage());
    assertTrue(te.isRetriable());
  }

  @Test
  void lateAnswerAfterTimeoutIsDroppedAndTheConnectionStaysUsable() throws Exception {
    LocalServer server = server((peer, m) -> {
      Get g = (Get) m;
      long delay = g.sliceId() == 1 ? 1500 : 0;
      peer.eventLoop().schedule(() -> peer.writeAndFlush(
          new Values(g.requestId(), 1, g.sliceId(), 0, new float[0])), delay,
          TimeUnit.MILLISECONDS);
    });
    TransportClient client = client(server, 1000);
    CompletableFuture<Message> slow = client.request(id -> new Get(id, 1, 1, 0));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> slow.get(T, TimeUnit.MILLISECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    Thread.sleep(800); // the late answer arrives now
    Values v = (Values) client.request(id -> new Get(id, 1, 2, 0)).get(T, TimeUnit.MILLISECONDS);
    assertEquals(2, v.sliceId());
  }

  @Test
  void failureAnswersArriveAsRemoteExceptions() throws Exception {
    LocalServer server = server((peer, m) -> {
      Get g = (Get) m;
      if (g.sliceId() == 3) {
        throw new IllegalStateException("slice 3 exploded");
      }
      peer.writeAndFlush(new Failure(g.requestId(), g.sliceId() == 1, "slice " + g.sliceId()
          + " is busy"));
    });
    TransportClient client = client(server, T);
    for (int slice = 1; slice <= 3; slice++) {
      int s = slice;
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client.request(id -> new Get(id, 1, s, 0)).get(T, TimeUnit.MILLISECONDS));
      RemoteException re = assertInstanceOf(RemoteException.class, e.getCause());
      String expected = s == 3 ? "slice 3 exploded" : "slice " + s + " is busy";
      assertTrue(re.getMessage().contains(expected), re.getMessage());
      assertEquals(s == 1, re.isRetriable(), re.getMessage());
    }
    assertTrue(client.isActive(), "a failed request must not close the connection");
  }

  @Test
  void oneWayMessagesGoToTheListener() throws Exception {
    LocalServer server = server((peer, m) -> {
      peer.writeAndFlush(new Shutdown());
      peer.writeAndFlush(new Ack(m.requestId()));
    });
    LinkedBlockingQueue<Message> oneWay = new LinkedBlockingQueue<>();
    TransportClient client = client(server, T, oneWay::add);
    Message answer = client.request(id -> new Heartbeat(id, 4)).get(T, TimeUnit.MILLISECONDS);
    assertInstanceOf(Ack.class, answer);
    assertInstanceOf(Shutdown.class, oneWay.poll(T, TimeUnit.MILLISECONDS));
  }

  @Test
  void connectingToAClosedPortFailsWithTransportException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (Transport t = new Transport("test-client", LocalServer.SECRET, 1, MAX_FRAME, T)) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> t.connect(address, m -> { }).get(T, TimeUnit.MILLISECONDS));
      assertInstanceOf(TransportException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains(String.valueOf(port)),
          e.getCause().getMessage());
    }
  }
}
