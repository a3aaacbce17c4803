package io.sparkps.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.PsException;
import io.sparkps.transport.Secret;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The driver's address exchange of co-located fits: every worker of a run gets every hosted
 * server's address once the last worker told; a run of the stage started again gets only its
 * own addresses and fails the older run's waiting workers; a worker that does not come fails
 * the others after the timeout, named, instead of leaving them waiting.
 */
@Timeout(60)
class AddressExchangeTest {
  private static final long RPC = 10_000;
  private static final Secret SECRET = Secret.generate(new SecureRandom());
  /** Three workers; workers 0 and 1 host servers 0 and 1, worker 2 none. */
  private static final int[] SERVER_OF = {0, 1, -1};

  private static AddressExchange start(long timeoutMs) {
    return AddressExchange.start("127.0.0.1", "127.0.0.1", SECRET, 1 << 20, false, SERVER_OF,
        timeoutMs);
  }

  private static InetSocketAddress at(int port) {
    return new InetSocketAddress("10.0.0." + port % 7, port);
  }

  /** Worker {@code worker} of run {@code run}, telling its server is at port {@code port}. */
  private static CompletableFuture<List<InetSocketAddress>> tell(AddressExchange exchange,
      long run, int worker, int port) {
    int server = SERVER_OF[worker];
    return CompletableFuture.supplyAsync(() -> AddressExchange.exchange(exchange.endpoint(), run,
        worker, server, server < 0 ? null : at(port), SECRET, 1 << 20, false, RPC));
  }

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> f.get(RPC, TimeUnit.MILLISECONDS));
    return e.getCause();
  }

  @Test
  void everyWorkerGetsEveryServerOnceTheLastOneTold() throws Exception {
    try (AddressExchange exchange = start(RPC)) {
      long run = AddressExchange.run(4, 0);
      CompletableFuture<List<InetSocketAddress>> w0 = tell(exchange, run, 0, 7000);
      CompletableFuture<List<InetSocketAddress>> w2 = tell(exchange, run, 2, 0);
      assertThrows(TimeoutException.class, () -> w0.get(300, TimeUnit.MILLISECONDS),
          "answered before worker 1 told");
      assertFalse(w2.isDone());
      CompletableFuture<List<InetSocketAddress>> w1 = tell(exchange, run, 1, 7001);
      List<InetSocketAddress> expected = List.of(at(7000), at(7001));
      for (CompletableFuture<List<InetSocketAddress>> w : List.of(w0, w1, w2)) {
        assertEquals(expected, w.get(RPC, TimeUnit.MILLISECONDS));
      }
      // A task of the run asking again (its request sent twice) gets the same list at once.
      assertEquals(expected, tell(exchange, run, 2, 0).get(RPC, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void aStageRunAgainGetsOnlyItsOwnAddresses() throws Exception {
    try (AddressExchange exchange = start(RPC)) {
      long first = AddressExchange.run(9, 0);
      long again = AddressExchange.run(9, 1);
      CompletableFuture<List<InetSocketAddress>> old0 = tell(exchange, first, 0, 7000);
      assertThrows(TimeoutException.class, () -> old0.get(200, TimeUnit.MILLISECONDS));
      CompletableFuture<List<InetSocketAddress>> new1 = tell(exchange, again, 1, 8001);
      Throwable superseded = failure(old0);
      assertTrue(superseded.getMessage().contains("stage 9, attempt 0 of the training stage was"
          + " superseded by stage 9, attempt 1"), superseded.getMessage());
      // A task of the old run arriving late does not join the new one.
      Throwable late = failure(tell(exchange, first, 2, 0));
      assertTrue(late.getMessage().contains("superseded"), late.getMessage());
      CompletableFuture<List<InetSocketAddress>> new0 = tell(exchange, again, 0, 8000);
      CompletableFuture<List<InetSocketAddress>> new2 = tell(exchange, again, 2, 0);
      for (CompletableFuture<List<InetSocketAddress>> w : List.of(new0, new1, new2)) {
        assertEquals(List.of(at(8000), at(8001)), w.get(RPC, TimeUnit.MILLISECONDS));
      }
    }
  }

  @Test
  void aMissingWorkerFailsTheOthersAfterTheTimeoutNamingIt() throws Exception {
    try (AddressExchange exchange = start(500)) {
      long run = AddressExchange.run(2, 0);
      long begun = System.nanoTime();
      CompletableFuture<List<InetSocketAddress>> w0 = tell(exchange, run, 0, 7000);
      CompletableFuture<List<InetSocketAddress>> w2 = tell(exchange, run, 2, 0);
      for (CompletableFuture<List<InetSocketAddress>> w : List.of(w0, w2)) {
        Throwable e = failure(w);
        assertTrue(e instanceof PsException, e.toString());
        assertTrue(e.getMessage().contains("did not hear from worker 1 (hosting server 1) "
            + "within 500 ms (spark.ps.server.startTimeout); 2 of 3 workers came"),
            e.getMessage());
      }
      assertTrue(System.nanoTime() - begun >= TimeUnit.MILLISECONDS.toNanos(500));
      // The run stays failed: the missing worker, arriving late, learns why too.
      Throwable late = failure(tell(exchange, run, 1, 7001));
      assertTrue(late.getMessage().contains("did not hear from worker 1"), late.getMessage());
    }
  }

  @Test
  void aWorkerClaimingAnotherServerIsRefused() throws Exception {
    try (AddressExchange exchange = start(RPC)) {
      CompletableFuture<List<InetSocketAddress>> wrong = CompletableFuture.supplyAsync(
          () -> AddressExchange.exchange(exchange.endpoint(), AddressExchange.run(1, 0), 2, 1,
              at(7001), SECRET, 1 << 20, false, RPC));
      Throwable e = failure(wrong);
      assertTrue(e.getMessage().contains("worker 2 says it hosts server 1, but it hosts -1"),
          e.getMessage());
    }
  }
}
