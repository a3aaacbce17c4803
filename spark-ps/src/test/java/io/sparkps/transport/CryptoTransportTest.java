package io.sparkps.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.SliceInfo;
import io.sparkps.server.ParamServer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * spark.ps.crypto.enabled over real sockets: encrypted requests are answered; a peer that does
 * not encrypt when the server does (or the other way round), or that has another secret, is
 * refused while the server goes on serving; a tap between client and server sees no float of a
 * pushed gradient or pulled slice when encrypted, and sees them when not; bytes injected after
 * the handshake close only their connection.
 */
@Timeout(60)
class CryptoTransportTest {
  private static final long T = 10_000;
  private static final int MAX_FRAME = 4 << 20;
  private static final float LR = 0.5f;
  /** Frames of this slice span several records. */
  private static final int FLOATS = 50_000;
  private static final SliceInfo SLICE = new SliceInfo(0, 7, 0, 0, FLOATS, 0);

  private LocalServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(boolean encrypt) {
    server = new LocalServer(new ParamServer(5_000), T, MAX_FRAME, encrypt);
  }

  @Test
  void encryptedPushAndPullAreAnswered() {
    start(true);
    try (PsClient client = PsClient.connect(server.clusterInfo(T))) {
      float[] values = pattern(1f);
      PsClient.await(client.create(SLICE, OptimizerConfig.sgd(LR), 1, values.clone()), T);
      assertArrayEquals(values, PsClient.await(client.pull(SLICE, 0), T).values(), 0f);
      float[] gradient = pattern(-3f);
      Values after = PsClient.await(client.push(SLICE, Share.of(0, 0, 0, 2), gradient), T);
      for (int i = 0; i < FLOATS; i++) {
        values[i] -= LR * gradient[i] / 2;
      }
      assertEquals(1, after.version());
      assertArrayEquals(values, after.values(), 1e-3f);
    }
  }

  @Test
  void aClientThatDoesNotEncryptIsRefusedAndTheServerGoesOnServing() throws Exception {
    start(true);
    assertRefused(false, LocalServer.SECRET, "encrypts (spark.ps.crypto.enabled=true there)");
    assertServed(server.clusterInfo(T));
  }

  @Test
  void aClientThatEncryptsIsRefusedByAServerThatDoesNot() throws Exception {
    start(false);
    assertRefused(true, LocalServer.SECRET,
        "does not encrypt (spark.ps.crypto.enabled=false there)");
    assertServed(server.clusterInfo(T));
  }

  @Test
  void aClientWithAnotherSecretIsRefused() throws Exception {
    start(true);
    assertRefused(true, Secret.generate(new SecureRandom()), "secret");
    assertServed(server.clusterInfo(T));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aTapSeesGradientsAndValuesOnlyWhenNotEncrypted(boolean encrypt) throws Exception {
    start(encrypt);
    float[] values = pattern(1f);
    float[] gradient = pattern(-3f);
    try (TcpTap tap = new TcpTap(server.address());
        PsClient client = PsClient.connect(server.clusterInfo(T, tap.address()))) {
      PsClient.await(client.create(SLICE, OptimizerConfig.sgd(LR), 1, values), T);
      PsClient.await(client.pull(SLICE, 0), T);
      PsClient.await(client.push(SLICE, Share.of(0, 0, 0, 1), gradient), T);
      byte[] up = tap.sentToServer();
      byte[] down = tap.sentToClient();
      assertTrue(up.length > 2 * FLOATS * Float.BYTES && down.length > FLOATS * Float.BYTES,
          "the tap saw " + up.length + " and " + down.length + " bytes");
      for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
        boolean wire = order == ByteOrder.LITTLE_ENDIAN; // spark-ps writes floats so
        assertEquals(!encrypt && wire, contains(up, bytes(gradient, order)),
            "gradient in " + order + " among the bytes sent, encrypted: " + encrypt);
        assertEquals(!encrypt && wire, contains(down, bytes(values, order)),
            "pulled values in " + order + " among the bytes received, encrypted: " + encrypt);
      }
    }
  }

  @Test
  void bytesInjectedAfterTheHandshakeCloseOnlyThatConnection() throws Exception {
    start(true);
    Random random = new Random(5);
    byte[] forged = new byte[4 + 100]; // a well-formed record length, then no valid record
    random.nextBytes(forged);
    ByteBuffer.wrap(forged).putInt(100);
    byte[] garbage = "GET /slices HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3).getBytes();
    try (PsClient honest = PsClient.connect(server.clusterInfo(T))) {
      PsClient.await(honest.create(SLICE, OptimizerConfig.sgd(LR), 1, pattern(1f)), T);
      for (byte[] injected : new byte[][] {forged, garbage}) {
        try (TcpTap tap = new TcpTap(server.address());
            Transport transport = new Transport("tapped", LocalServer.SECRET, 1, MAX_FRAME, T,
                true)) {
          TransportClient tapped = transport.connect(tap.address(), m -> { })
              .get(T, TimeUnit.MILLISECONDS);
          tapped.request(id -> new Get(id, SLICE.paramId(), SLICE.sliceId(), 0))
              .get(T, TimeUnit.MILLISECONDS);
          tap.inject(injected);
          tapped.closeFuture().get(T, TimeUnit.MILLISECONDS);
          assertFalse(tapped.isActive());
        }
        assertEquals(FLOATS, PsClient.await(honest.pull(SLICE, 0), T).values().length);
      }
    }
  }

  private void assertRefused(boolean encrypt, Secret secret, String why) throws Exception {
    try (Transport other = new Transport("other", secret, 1, MAX_FRAME, T, encrypt)) {
      CompletableFuture<TransportClient> f = other.connect(server.address(), m -> { });
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> f.get(T, TimeUnit.MILLISECONDS));
      assertInstanceOf(TransportException.class, e.getCause());
      String message = e.getCause().getMessage();
      assertTrue(message.contains(why), message);
    }
  }

  private static void assertServed(io.sparkps.client.ClusterInfo info) {
    try (PsClient client = PsClient.connect(info)) {
      SliceInfo slice = new SliceInfo(0, 8, 0, 0, 4, 0);
      PsClient.await(client.create(slice, OptimizerConfig.sgd(LR), 1,
          new float[] {1f, 2f, 3f, 4f}), T);
      Values v = PsClient.await(client.push(slice, Share.of(0, 0, 0, 1),
          new float[] {2f, 2f, 2f, 2f}), T);
      assertArrayEquals(new float[] {0f, 1f, 2f, 3f}, v.values(), 1e-6f);
    }
  }

  /** Floats no other bytes on the wire resemble: {@code base} + i / 1024 + 0.123. */
  private static float[] pattern(float base) {
    float[] f = new float[FLOATS];
    for (int i = 0; i < FLOATS; i++) {
      f[i] = base + i / 1024f + 0.123f;
    }
    return f;
  }

  /** 64 floats of {@code f} from index 1000 in {@code order}: the needle searched for. */
  private static byte[] bytes(float[] f, ByteOrder order) {
    ByteBuffer b = ByteBuffer.allocate(64 * Float.BYTES).order(order);
    for (int i = 0; i < 64; i++) {
      b.putFloat(f[i + 1000]);
    }
    return b.array();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
