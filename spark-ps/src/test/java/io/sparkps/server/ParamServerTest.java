package io.sparkps.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.SliceInfo;
import io.sparkps.transport.LocalServer;
import io.sparkps.transport.RemoteException;
import io.sparkps.transport.SliceSetup;
import io.sparkps.transport.Values;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A {@link ParamServer} behind a real transport, driven by a {@link PsClient}. */
@Timeout(60)
class ParamServerTest {
  private static final long T = 10_000;
  private static final long WAIT_TIMEOUT_MS = 400;
  /** How long a future must stay incomplete to count as "waiting". */
  private static final long STILL_WAITING_MS = 300;
  private static final float LR = 0.1f;
  private static final float[] INITIAL = {1f, 2f, 3f};
  private static final SliceInfo SLICE = new SliceInfo(0, 5, 0, 0, 3, 0);

  private ParamServer params;
  private LocalServer server;
  private PsClient client;

  @BeforeEach
  void start() {
    params = new ParamServer(WAIT_TIMEOUT_MS);
    server = new LocalServer(params, T, 1 << 20);
    client = server.psClient(T);
  }

  @AfterEach
  void stop() {
    try {
      client.close();
    } finally {
      server.close();
    }
  }

  /** A slice serving worker groups 0 and 1, with no staleness bound. */
  private void create(SliceInfo slice, int sharesPerStep, float[] values) {
    PsClient.await(client.create(slice, OptimizerConfig.sgd(LR), new SliceSetup(sharesPerStep,
        0, 2, SliceSetup.UNBOUNDED, 1, ""), values.clone()), T);
  }

  private CompletableFuture<Values> push(int group, int worker, long step, int examples,
      float... gradientSum) {
    return client.push(SLICE, Share.of(step, group, worker, examples), gradientSum);
  }

  /** {@code w - lr * (a + b) / examples}, computed the way the server does. */
  private static float[] sgd(float[] w, float[] a, float[] b, long examples) {
    float scale = 1f / examples;
    float[] out = w.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] -= LR * ((a[i] + b[i]) * scale);
    }
    return out;
  }

  private static void assertStillWaiting(CompletableFuture<?> f) throws InterruptedException {
    Thread.sleep(STILL_WAITING_MS);
    assertFalse(f.isDone(), "completed before the step had all its shares: " + f);
  }

  private static Values done(CompletableFuture<Values> f) {
    return PsClient.await(f, T);
  }

  @Test
  void synchronousStepWaitsForEveryShareThenAppliesTheMeanGradient() throws Exception {
    create(SLICE, 2, INITIAL);
    float[] a = {2f, -4f, 6f};
    float[] b = {1f, 1f, -3f};
    CompletableFuture<Values> first = push(0, 0, 0, 2, a);
    assertStillWaiting(first);
    Values meanwhile = done(client.pull(SLICE, 0));
    assertEquals(0, meanwhile.version());
    assertArrayEquals(INITIAL, meanwhile.values(), 0f);

    Values second = done(push(0, 1, 0, 6, b));
    Values firstDone = done(first);
    float[] expected = sgd(INITIAL, a, b, 8);
    assertEquals(1, second.version());
    assertEquals(1, firstDone.version());
    assertArrayEquals(expected, second.values(), 1e-6f);
    assertArrayEquals(expected, firstDone.values(), 1e-6f);
    assertArrayEquals(expected, done(client.pull(SLICE, 1)).values(), 1e-6f);
  }

  @Test
  void sharesDecodedIntoOneReusedArraySumCorrectlyStepAfterStep() throws Exception {
    create(SLICE, 3, INITIAL);
    float[] w = INITIAL;
    for (long step = 0; step < 3; step++) {
      float[] a = {step, 1f, -2f};
      float[] b = {1f, step, 0.5f};
      float[] c = {-3f, 2f, step};
      CompletableFuture<Values> first = push(0, 0, step, 1, a);
      CompletableFuture<Values> second = push(0, 1, step, 2, b);
      Values third = done(push(0, 2, step, 3, c));
      float scale = 1f / 6;
      float[] expected = w.clone();
      for (int i = 0; i < expected.length; i++) {
        expected[i] -= LR * ((a[i] + b[i] + c[i]) * scale);
      }
      for (Values v : new Values[] {done(first), done(second), third}) {
        assertEquals(step + 1, v.version());
        assertArrayEquals(expected, v.values(), 1e-6f);
      }
      w = expected;
    }
  }

  @Test
  void duplicateShareOfAWorkerIsNotCountedTwice() throws Exception {
    create(SLICE, 2, INITIAL);
    float[] a = {2f, -4f, 6f};
    float[] b = {1f, 1f, -3f};
    CompletableFuture<Values> first = push(0, 0, 0, 2, a);
    CompletableFuture<Values> retried = push(0, 0, 0, 2, a);
    assertStillWaiting(retried);
    assertFalse(first.isDone());

    Values other = done(push(0, 1, 0, 6, b));
    float[] expected = sgd(INITIAL, a, b, 8); // a counted once, over 2 + 6 examples
    for (Values v : new Values[] {other, done(first), done(retried)}) {
      assertEquals(1, v.version());
      assertArrayEquals(expected, v.values(), 1e-6f);
    }
  }

  @Test
  void groupsAreAggregatedSeparately() throws Exception {
    create(SLICE, 2, INITIAL);
    float[] a = {1f, 0f, 0f};
    float[] b = {0f, 2f, 0f};
    float[] c = {0f, 0f, 4f};
    float[] d = {8f, 0f, 0f};
    CompletableFuture<Values> group0 = push(0, 0, 0, 1, a);
    CompletableFuture<Values> group1 = push(1, 2, 0, 1, c);
    assertStillWaiting(group0); // one share of each group does not make a step of two
    assertFalse(group1.isDone());

    Values v0 = done(push(0, 1, 0, 1, b));
    float[] afterGroup0 = sgd(INITIAL, a, b, 2);
    assertEquals(1, v0.version());
    assertArrayEquals(afterGroup0, v0.values(), 1e-6f);
    assertArrayEquals(afterGroup0, done(group0).values(), 1e-6f);
    assertFalse(group1.isDone());

    Values v1 = done(push(1, 3, 0, 1, d));
    float[] afterGroup1 = sgd(afterGroup0, c, d, 2);
    assertEquals(2, v1.version());
    assertArrayEquals(afterGroup1, v1.values(), 1e-6f);
    assertArrayEquals(afterGroup1, done(group1).values(), 1e-6f);
  }

  @Test
  void anUpdateFromAGroupTheSliceDoesNotServeFailsNamingIt() {
    create(SLICE, 1, INITIAL);
    RemoteException e = assertThrows(RemoteException.class,
        () -> PsClient.await(push(5, 0, 0, 1, 1f, 1f, 1f), T));
    assertTrue(e.getMessage().contains("worker group 5"), e.getMessage());
    assertTrue(e.getMessage().contains("0..1"), e.getMessage());
  }

  @Test
  void getWaitsForTheVersionItAsksFor() throws Exception {
    create(SLICE, 1, INITIAL);
    CompletableFuture<Values> waiting = client.pull(SLICE, 1);
    assertStillWaiting(waiting);
    float[] g = {3f, 3f, 3f};
    Values pushed = done(push(0, 0, 0, 3, g));
    Values got = done(waiting);
    assertEquals(1, got.version());
    assertArrayEquals(pushed.values(), got.values(), 0f);
    assertArrayEquals(sgd(INITIAL, g, new float[3], 3), got.values(), 1e-6f);
  }

  @Test
  void getOfAVersionNeverReachedFailsRetriablyAfterTheWaitTimeout() {
    create(SLICE, 1, INITIAL);
    long t0 = System.nanoTime();
    RemoteException e = assertThrows(RemoteException.class,
        () -> PsClient.await(client.pull(SLICE, 5), T));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(e.isRetriable());
    assertTrue(e.getMessage().contains("did not reach version 5"), e.getMessage());
    assertTrue(e.getMessage().contains("at 0"), e.getMessage());
    assertTrue(elapsedMs >= WAIT_TIMEOUT_MS - 50 && elapsedMs < 5_000, elapsedMs + " ms");
    // The expired wait is gone: a later update answers nobody twice and the slice still works.
    assertEquals(1, done(push(0, 0, 0, 1, 1f, 1f, 1f)).version());
  }

  @Test
  void updateOfTheWrongLengthFailsNamingBothLengths() {
    create(SLICE, 1, INITIAL);
    RemoteException e = assertThrows(RemoteException.class,
        () -> PsClient.await(push(0, 0, 0, 1, new float[5]), T));
    assertFalse(e.isRetriable());
    assertTrue(e.getMessage().contains("5 floats"), e.getMessage());
    assertTrue(e.getMessage().contains("has 3"), e.getMessage());
    Values v = done(client.pull(SLICE, 0));
    assertEquals(0, v.version());
    assertArrayEquals(INITIAL, v.values(), 0f);
  }

  @Test
  void requestsForAnUnknownSliceFail() {
    create(SLICE, 1, INITIAL);
    SliceInfo unknown = new SliceInfo(0, 5, 9, 0, 3, 0);
    RemoteException e = assertThrows(RemoteException.class,
        () -> PsClient.await(client.pull(unknown, 0), T));
    assertTrue(e.notPrimary(), "a slice the server does not hold is looked for elsewhere");
    assertTrue(e.getMessage().contains("slice 9 of param 5"), e.getMessage());
    assertThrows(RemoteException.class,
        () -> PsClient.await(client.push(unknown, Share.of(0, 0, 0, 1), new float[3]), T));
  }

  @Test
  void dropParamRemovesOnlyThatParamsSlices() {
    SliceInfo second = new SliceInfo(0, 5, 1, 3, 2, 0);
    SliceInfo other = new SliceInfo(1, 6, 0, 0, 2, 0);
    create(SLICE, 1, INITIAL);
    create(second, 1, new float[] {4f, 5f});
    create(other, 1, new float[] {6f, 7f});
    assertEquals(3, params.numSlices());

    PsClient.await(client.drop(5), T);
    assertEquals(1, params.numSlices());
    assertThrows(RemoteException.class, () -> PsClient.await(client.pull(SLICE, 0), T));
    assertThrows(RemoteException.class, () -> PsClient.await(client.pull(second, 0), T));
    assertArrayEquals(new float[] {6f, 7f}, done(client.pull(other, 0)).values(), 0f);
  }

  @Test
  void createSliceReplacesAnExistingSlice() {
    create(SLICE, 1, INITIAL);
    assertEquals(1, done(push(0, 0, 0, 1, 1f, 1f, 1f)).version());
    float[] fresh = {9f, 8f, 7f};
    create(SLICE, 1, fresh);
    Values v = done(client.pull(SLICE, 0));
    assertEquals(0, v.version());
    assertArrayEquals(fresh, v.values(), 0f);
    assertEquals(1, params.numSlices());
  }
}
