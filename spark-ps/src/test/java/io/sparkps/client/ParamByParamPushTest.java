package io.sparkps.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.ParamSpec;
import io.sparkps.param.SliceInfo;
import io.sparkps.param.SliceMap;
import io.sparkps.server.ParamServer;
import io.sparkps.transport.LocalServer;
import io.sparkps.transport.SliceSetup;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step pushed param by param: a param's answer is applied and stored while the worker has not
 * yet sent the next param, against a real server over a socket.
 */
@Timeout(60)
class ParamByParamPushTest {
  private static final long T = 10_000;
  private static final float LR = 0.5f;
  private static final float[] FIRST = {1f, 2f, 3f, 4f};
  private static final float[] LAST = {-1f, 0f, 1f};

  private final SliceMap map = new SliceMap(
      List.of(ParamSpec.vector("w0", FIRST.length), ParamSpec.vector("w1", LAST.length)),
      List.of(new SliceInfo(0, 11, 0, 0, 2, 0), new SliceInfo(0, 11, 1, 2, 2, 0),
          new SliceInfo(1, 12, 0, 0, LAST.length, 0)),
      1);
  private LocalServer server;
  private PsClient client;

  @BeforeEach
  void start() {
    server = new LocalServer(new ParamServer(400), T, 1 << 20);
    client = server.psClient(T);
    float[][] initial = {FIRST, LAST};
    for (SliceInfo s : map.slices()) {
      float[] part = new float[s.length()];
      System.arraycopy(initial[s.param()], (int) s.offset(), part, 0, s.length());
      PsClient.await(client.create(s, OptimizerConfig.sgd(LR), new SliceSetup(1, 0, 1,
          SliceSetup.UNBOUNDED, 1, "", 1), part), T);
    }
  }

  @AfterEach
  void stop() {
    try {
      client.close();
    } finally {
      server.close();
    }
  }

  @Test
  void aParamsAnswerIsStoredBeforeTheNextParamIsSent() throws InterruptedException {
    ParamSet params = new ParamSet(map);
    params.pullAll(client, 0);
    float[] lastGrad = {2f, 2f, 2f};
    float[] firstGrad = {1f, 0f, -1f, 2f};

    ParamSet.Push push = params.push(client, null, 1, Share.of(0, 0, 0, 1));
    push.param(1, lastGrad);
    float[] lastAfter = minus(LAST, lastGrad);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!java.util.Arrays.equals(lastAfter, params.values()[1])
        && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertArrayEquals(lastAfter, params.values()[1], 0f,
        "w1's update is applied and answered while w0's gradient is still being computed");
    assertArrayEquals(FIRST, params.values()[0], 0f, "w0 was not sent yet");

    push.param(0, firstGrad);
    push.finish();
    assertArrayEquals(minus(FIRST, firstGrad), params.values()[0], 0f);
    assertEquals(1, params.minClock(), "every slice answered step 0");
  }

  @Test
  void aParamNeverAnnouncedOrAnnouncedTwiceIsAnError() {
    ParamSet params = new ParamSet(map);
    ParamSet.Push push = params.push(client, null, 1, Share.of(0, 0, 0, 1));
    push.param(1, new float[LAST.length]);
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> push.param(1, new float[LAST.length]));
    assertTrue(twice.getMessage().contains("w1 was pushed twice in step 0"),
        twice.getMessage());
    IllegalStateException never = assertThrows(IllegalStateException.class, push::finish);
    assertTrue(never.getMessage().contains("pushed no gradient of param w0"),
        never.getMessage());
  }

  private static float[] minus(float[] values, float[] gradient) {
    float[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] -= LR * gradient[i];
    }
    return out;
  }
}
