package io.sparkps.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sparkps.client.PsClient;
import io.sparkps.client.Share;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.param.SliceInfo;
import io.sparkps.server.ParamServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bytes that are not a valid frame, an oversized frame and a peer with the wrong secret are each
 * refused while the server keeps serving an honest client.
 */
@Timeout(60)
class HostileClientTest {
  private static final long T = 10_000;
  private static final int MAX_FRAME = 64 * 1024;
  private static final float LR = 0.5f;
  private static final SliceInfo SLICE = new SliceInfo(0, 7, 0, 0, 4, 0);

  private ParamServer params;
  private LocalServer server;
  private PsClient honest;
  private float[] expected;
  private long version;

  @BeforeEach
  void start() {
    start(20_000);
  }

  private void start(long authTimeoutMs) {
    params = new ParamServer(5_000);
    server = new LocalServer(params, authTimeoutMs, MAX_FRAME);
    honest = server.psClient(T);
    expected = new float[] {1f, 2f, 3f, 4f};
    version = 0;
    PsClient.await(honest.create(SLICE, OptimizerConfig.sgd(LR), 1, expected.clone()), T);
  }

  @AfterEach
  void stop() {
    try {
      if (honest != null) {
        honest.close();
      }
    } finally {
      server.close();
    }
  }

  @Test
  void rawHandshakeWithTheRightSecretIsServed() throws Exception {
    // The control for every case below: the same raw socket code gets answers when it is honest.
    try (Socket s = raw()) {
      authenticate(s);
      send(s, new Get(5, SLICE.paramId(), SLICE.sliceId(), 0));
      assertValuesFor(5, readFrame(s));
    }
    try (Socket s = raw()) { // a request right behind the response, in the same segment
      send(s, LocalServer.answer(LocalServer.SECRET, readChallenge(s)),
          new Get(6, SLICE.paramId(), SLICE.sliceId(), 0));
      assertEquals(MessageType.AUTH_OK.id(), readFrame(s).getByte(5));
      assertValuesFor(6, readFrame(s));
    }
    assertHonestClientServed();
  }

  @Test
  void garbageIsRefused() throws Exception {
    long handled = params.messagesHandled();
    byte[] garbage = new byte[300];
    new Random(3).nextBytes(garbage);
    garbage[0] = 0; // never the magic's first byte
    try (Socket s = raw()) {
      s.getOutputStream().write(garbage);
      assertEquals(List.of(MessageType.CHALLENGE), readUntilClosed(s));
    }
    assertEquals(handled, params.messagesHandled());
    assertHonestClientServed();
  }

  @Test
  void garbageAfterTheHandshakeClosesOnlyThatConnection() throws Exception {
    try (Socket s = raw()) {
      authenticate(s);
      s.getOutputStream().write("GET /slices HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3).getBytes());
      assertEquals(List.of(), readUntilClosed(s));
    }
    assertHonestClientServed();
  }

  @Test
  void oversizedFrameIsRefusedBeforeItsPayloadArrives() throws Exception {
    for (boolean authenticated : new boolean[] {false, true}) {
      for (int payload : new int[] {MAX_FRAME, Integer.MAX_VALUE, -1}) {
        long handled = params.messagesHandled();
        try (Socket s = raw()) {
          if (authenticated) {
            authenticate(s);
          }
          ByteBuf b = Unpooled.buffer();
          FrameEncoder.write(new Update(1, 0, SLICE.paramId(), SLICE.sliceId(), 0, 0, 1, 1,
              new float[4]), b);
          b.setInt(40, payload);
          s.getOutputStream().write(ByteBufUtil.getBytes(b));
          List<MessageType> got = readUntilClosed(s);
          assertEquals(authenticated ? List.of() : List.of(MessageType.CHALLENGE), got,
              "payload length " + payload + ", authenticated " + authenticated);
        }
        assertEquals(handled, params.messagesHandled());
        assertHonestClientServed();
      }
    }
  }

  @Test
  void wrongSecretIsRefused() throws Exception {
    Secret wrong = Secret.generate(new SecureRandom());
    try (Transport evil = new Transport("evil", wrong, 1, MAX_FRAME, T)) {
      CompletableFuture<TransportClient> f = evil.connect(server.address(), m -> { });
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> f.get(T, TimeUnit.MILLISECONDS));
      assertInstanceOf(TransportException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("secret"), e.getCause().getMessage());
    }
    try (Socket s = raw()) {
      send(s, LocalServer.answer(wrong, readChallenge(s)));
      assertEquals(List.of(), readUntilClosed(s), "no AUTH_OK for a wrong MAC");
    }
    assertHonestClientServed();
  }

  @Test
  void replayedResponseToAnotherChallengeIsRefused() throws Exception {
    AuthResponse old;
    try (Socket s = raw()) {
      old = LocalServer.answer(LocalServer.SECRET, readChallenge(s));
    }
    try (Socket s = raw()) {
      readChallenge(s);
      send(s, old);
      assertEquals(List.of(), readUntilClosed(s));
    }
    assertHonestClientServed();
  }

  @Test
  void requestsBeforeTheHandshakeAreRefusedAndNotApplied() throws Exception {
    long handled = params.messagesHandled();
    try (Socket s = raw()) {
      readChallenge(s);
      send(s, new Get(1, SLICE.paramId(), SLICE.sliceId(), 0));
      assertEquals(List.of(), readUntilClosed(s), "a GET before AUTH_RESPONSE got an answer");
    }
    try (Socket s = raw()) {
      // Without even reading the challenge: an update, a replacement and a drop.
      send(s, new Update(1, 9, SLICE.paramId(), SLICE.sliceId(), 0, 0, 1, 1,
              new float[] {100f, 100f, 100f, 100f}),
          new CreateSlice(2, SLICE.paramId(), SLICE.sliceId(), OptimizerConfig.sgd(1f), 1,
              new float[4]),
          new DropParam(3, SLICE.paramId()));
      assertEquals(List.of(MessageType.CHALLENGE), readUntilClosed(s));
    }
    assertEquals(handled, params.messagesHandled());
    assertEquals(1, params.numSlices());
    assertHonestClientServed(); // values and version exactly as the honest client left them
  }

  @Test
  void truncatedFrameThenSilenceIsClosedAfterTheHandshakeDeadline() throws Exception {
    stop();
    honest = null;
    start(1500);
    long t0 = System.nanoTime();
    try (Socket s = raw()) {
      readChallenge(s);
      ByteBuf b = Unpooled.buffer();
      FrameEncoder.write(LocalServer.answer(LocalServer.SECRET,
          new Challenge(false, new byte[32], new byte[0])), b);
      s.getOutputStream().write(ByteBufUtil.getBytes(b, 0, 30));
      assertHonestClientServed(); // served while the stalled peer is still connected
      assertEquals(List.of(), readUntilClosed(s));
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(elapsedMs >= 1400, "closed after " + elapsedMs + " ms, before the deadline");
    assertHonestClientServed();
  }

  /** GET answers the values the honest client expects, and an SGD UPDATE applies. */
  private void assertHonestClientServed() {
    Values now = PsClient.await(honest.pull(SLICE, version), T);
    assertEquals(version, now.version());
    assertArrayEquals(expected, now.values(), 1e-6f);
    float[] gradientSum = {1f, -2f, 0.5f, 4f};
    int examples = 2;
    Values after = PsClient.await(
        honest.push(SLICE, Share.of(version, 0, 0, examples), gradientSum), T);
    for (int i = 0; i < expected.length; i++) {
      expected[i] -= LR * gradientSum[i] / examples;
    }
    version++;
    assertEquals(version, after.version());
    assertArrayEquals(expected, after.values(), 1e-6f);
  }

  private void assertValuesFor(long requestId, ByteBuf frame) {
    assertEquals(MessageType.VALUES.id(), frame.getByte(5));
    assertEquals(requestId, frame.getLong(32));
    // VALUES payload: the clock (8 bytes), then the floats.
    assertEquals(Long.BYTES + expected.length * Float.BYTES, frame.getInt(40));
    assertEquals(expected[0], frame.getFloatLE(FrameEncoder.HEADER_BYTES + Long.BYTES));
  }

  private Socket raw() throws IOException {
    Socket s = new Socket();
    s.connect(server.address(), (int) T);
    s.setSoTimeout((int) T);
    return s;
  }

  private static void authenticate(Socket s) throws IOException {
    send(s, LocalServer.answer(LocalServer.SECRET, readChallenge(s)));
    assertEquals(MessageType.AUTH_OK.id(), readFrame(s).getByte(5));
  }

  private static Challenge readChallenge(Socket s) throws IOException {
    ByteBuf frame = readFrame(s);
    assertEquals(MessageType.CHALLENGE.id(), frame.getByte(5));
    return Challenge.read(Header.EMPTY, frame.skipBytes(FrameEncoder.HEADER_BYTES));
  }

  private static ByteBuf readFrame(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] header = new byte[FrameEncoder.HEADER_BYTES];
    in.readFully(header);
    ByteBuf frame = Unpooled.buffer().writeBytes(header);
    assertEquals(FrameEncoder.MAGIC, frame.getInt(0));
    byte[] payload = new byte[frame.getInt(40)];
    in.readFully(payload);
    return frame.writeBytes(payload);
  }

  private static void send(Socket s, Message... messages) throws IOException {
    ByteBuf b = Unpooled.buffer();
    for (Message m : messages) {
      FrameEncoder.write(m, b);
    }
    s.getOutputStream().write(ByteBufUtil.getBytes(b));
    s.getOutputStream().flush();
  }

  /** The types of the frames the server sends until it closes; fails if it stays open. */
  private static List<MessageType> readUntilClosed(Socket s) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) != -1; ) {
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      fail("the server kept the connection open for " + T + " ms; it sent "
          + Arrays.toString(got.toByteArray()));
    } catch (SocketException reset) {
      // Closed with a reset because our bytes were still unread: closed all the same.
    }
    ByteBuf frames = Unpooled.wrappedBuffer(got.toByteArray());
    List<MessageType> types = new ArrayList<>();
    while (frames.readableBytes() >= FrameEncoder.HEADER_BYTES) {
      int at = frames.readerIndex();
      types.add(MessageType.of(frames.getByte(at + 5)));
      frames.skipBytes(FrameEncoder.HEADER_BYTES + frames.getInt(at + 40));
    }
    return types;
  }
}
