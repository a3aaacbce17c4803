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
import io.sparkps.transport.Sync;
import io.sparkps.transport.Values;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server refuses a NaN or infinite update whatever the client sends, and applies none of it. */
@Timeout(60)
class NonFiniteUpdateTest {
  private static final long T = 10_000;
  private static final float LR = 0.5f;
  private static final float[] INITIAL = {1f, 2f, 3f, 4f};
  private static final SliceInfo SLICE = new SliceInfo(0, 7, 0, 0, 4, 0);

  private ParamServer params;
  private LocalServer server;
  private PsClient client;

  @BeforeEach
  void start() {
    params = new ParamServer(400);
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

  private void create(int sharesPerStep, int rowWidth) {
    PsClient.await(client.create(SLICE, OptimizerConfig.sgd(LR), new SliceSetup(sharesPerStep,
        0, 1, SliceSetup.UNBOUNDED, 1, "", rowWidth), INITIAL.clone()), T);
  }

  private Values current() {
    return PsClient.await(client.pull(SLICE, 0), T);
  }

  @ParameterizedTest
  @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
  void updateIsRefusedUnappliedAndTheConnectionGoesOn(float bad) {
    create(2, 1);
    RemoteException e = assertThrows(RemoteException.class, () -> PsClient.await(
        client.push(SLICE, Share.of(0, 0, 0, 1), new float[] {1f, 1f, bad, 1f}), T));
    assertFalse(e.isRetriable(), "resending the same values cannot help");
    assertTrue(e.getMessage().contains("UPDATE of param 7 slice 0 refused: value 2 of its 4 is "
        + bad), e.getMessage());
    Values after = current();
    assertEquals(0, after.version());
    assertArrayEquals(INITIAL, after.values(), 0f);

    // The refused share did not join the step: worker 0 may still send its share, and the
    // step is made of the two finite ones.
    float[] a = {1f, 2f, 3f, 4f};
    float[] b = {3f, 2f, 1f, 0f};
    var first = client.push(SLICE, Share.of(0, 0, 0, 1), a);
    Values done = PsClient.await(client.push(SLICE, Share.of(0, 0, 1, 1), b), T);
    PsClient.await(first, T);
    assertEquals(1, done.version());
    for (int i = 0; i < INITIAL.length; i++) {
      assertEquals(INITIAL[i] - LR * (a[i] + b[i]) / 2, done.values()[i], 1e-6f);
    }
  }

  @Test
  void updateOfRowsIsRefusedNamingTheRow() {
    create(1, 2);  // two rows of two floats
    RemoteException e = assertThrows(RemoteException.class, () -> PsClient.await(
        client.pushRows(SLICE, Share.of(0, 0, 0, 1), new int[] {1},
            new float[] {0.5f, Float.NaN}), T));
    assertFalse(e.isRetriable());
    assertTrue(e.getMessage().contains("UPDATE_ROWS of param 7 slice 0 refused: value 1 (row 1)"
        + " of its 2 is NaN"), e.getMessage());
    assertEquals(0, current().version());
    assertArrayEquals(INITIAL, current().values(), 0f);

    Values done = PsClient.await(client.pushRows(SLICE, Share.of(0, 0, 0, 1), new int[] {1},
        new float[] {2f, 2f}), T);
    assertEquals(1, done.version());
    assertArrayEquals(new float[] {1f, 2f, 2f, 3f}, current().values(), 1e-6f);
  }

  @Test
  void syncDeltaIsRefusedUnapplied() {
    create(1, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        params.process(new Sync(1, 7, 0, new float[] {0f, Float.POSITIVE_INFINITY, 0f, 0f}),
            answer -> { }));
    assertTrue(e.getMessage().contains("SYNC of param 7 slice 0 refused: value 1 of its 4 is "
        + "Infinity"), e.getMessage());
    assertArrayEquals(INITIAL, current().values(), 0f);
  }
}
