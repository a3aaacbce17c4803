package io.sparkps.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The handshake's keys and the record layer, without sockets: both sides derive the same keys,
 * which depend on the secret; records round-trip whatever the write and read sizes; an altered,
 * replayed or oversized record is refused, naming what was seen.
 */
class RecordLayerTest {
  private static final Secret SECRET = LocalServer.SECRET;

  /** Keys agreed by a client and a server (both halves of one handshake). */
  private static Handshake.Keys[] agree(Secret clientSecret, Secret serverSecret)
      throws Exception {
    KeyPair server = Handshake.newKeyPair();
    KeyPair client = Handshake.newKeyPair();
    byte[] nonce = new byte[Handshake.NONCE_BYTES];
    new SecureRandom().nextBytes(nonce);
    Challenge c = new Challenge(true, nonce, Handshake.publicKey(server));
    byte[] clientKey = Handshake.publicKey(client);
    byte[] t = Handshake.transcript(c, true, clientKey);
    return new Handshake.Keys[] {
        Handshake.keys(clientSecret, t, client.getPrivate(), c.publicKey()),
        Handshake.keys(serverSecret, t, server.getPrivate(), clientKey)};
  }

  @Test
  void bothSidesDeriveTheSameKeysAndTheyDependOnTheSecret() throws Exception {
    Handshake.Keys[] k = agree(SECRET, SECRET);
    assertArrayEquals(k[0].clientKey(), k[1].clientKey());
    assertArrayEquals(k[0].serverKey(), k[1].serverKey());
    assertArrayEquals(k[0].clientIv(), k[1].clientIv());
    assertArrayEquals(k[0].serverIv(), k[1].serverIv());
    assertEquals(16, k[0].clientKey().length);
    assertEquals(12, k[0].serverIv().length);
    assertFalse(Arrays.equals(k[0].clientKey(), k[0].serverKey()), "one key per direction");

    Handshake.Keys[] other = agree(SECRET, Secret.generate(new SecureRandom()));
    assertFalse(Arrays.equals(other[0].clientKey(), other[1].clientKey()));
  }

  @Test
  void recordsRoundTripAcrossRecordAndChunkBoundaries() throws Exception {
    Handshake.Keys[] k = agree(SECRET, SECRET);
    EmbeddedChannel client = new EmbeddedChannel(new RecordEncoder(k[0].sending(false)));
    EmbeddedChannel server = new EmbeddedChannel(new RecordDecoder(k[1].receiving(true)));
    Random random = new Random(7);
    int[] sizes = {1, 44, RecordEncoder.MAX_PLAINTEXT, RecordEncoder.MAX_PLAINTEXT + 1,
        3 * RecordEncoder.MAX_PLAINTEXT + 17, 1000};
    ByteBuf sent = Unpooled.buffer();
    for (int size : sizes) {
      byte[] b = new byte[size];
      random.nextBytes(b);
      sent.writeBytes(b);
      assertTrue(client.writeOutbound(Unpooled.wrappedBuffer(b)));
    }
    ByteBuf wire = Unpooled.buffer();
    for (ByteBuf out; (out = client.readOutbound()) != null; ) {
      wire.writeBytes(out);
      out.release();
    }
    int records = 0;
    for (int at = 0; at < wire.writerIndex(); at += 4 + wire.getInt(at)) {
      assertTrue(wire.getInt(at) <= RecordEncoder.RECORD_BYTES - 4);
      records++;
    }
    assertEquals(1 + 1 + 1 + 2 + 4 + 1, records);
    while (wire.isReadable()) {  // in odd chunks
      server.writeInbound(wire.readRetainedSlice(Math.min(4099, wire.readableBytes())));
    }
    ByteBuf received = Unpooled.buffer();
    for (ByteBuf in; (in = server.readInbound()) != null; ) {
      received.writeBytes(in);
      in.release();
    }
    assertEquals(ByteBufUtil.hexDump(sent), ByteBufUtil.hexDump(received));
    wire.release();
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  @Test
  void anAlteredRecordFailsAuthentication() throws Exception {
    for (int at : new int[] {4, 50, 4 + 100 + 16 - 1}) { // first, middle and last tag byte
      Handshake.Keys[] k = agree(SECRET, SECRET);
      ByteBuf good = sealed(k, new byte[100])[0];
      good.setByte(at, good.getByte(at) ^ 1);
      EmbeddedChannel server = new EmbeddedChannel(new RecordDecoder(k[1].receiving(true)));
      var e = assertThrows(CorruptedFrameException.class, () -> server.writeInbound(good));
      assertTrue(e.getMessage().contains("record 0 of 116 bytes"), e.getMessage());
      assertTrue(e.getMessage().contains("fails authentication"), e.getMessage());
      assertTrue(e.getMessage().contains("spark.ps.crypto.enabled"), e.getMessage());
      assertNull(server.readInbound());
      server.finishAndReleaseAll();
    }
  }

  @Test
  void aReplayedOrReorderedRecordFailsAuthentication() throws Exception {
    Handshake.Keys[] k = agree(SECRET, SECRET);
    ByteBuf[] r = sealed(k, new byte[10], new byte[20]);
    EmbeddedChannel server = new EmbeddedChannel(new RecordDecoder(k[1].receiving(true)));
    server.writeInbound(r[0].retainedDuplicate());
    ((ByteBuf) server.readInbound()).release();
    var e = assertThrows(CorruptedFrameException.class, () -> server.writeInbound(r[0]));
    assertTrue(e.getMessage().contains("record 1 "), e.getMessage());
    server.finishAndReleaseAll();
    r[1].release();

    Handshake.Keys[] k2 = agree(SECRET, SECRET);
    ByteBuf[] r2 = sealed(k2, new byte[10], new byte[20]);
    EmbeddedChannel other = new EmbeddedChannel(new RecordDecoder(k2[1].receiving(true)));
    assertThrows(CorruptedFrameException.class, () -> other.writeInbound(r2[1]));
    other.finishAndReleaseAll();
    r2[0].release();
  }

  @Test
  void aRecordLengthOutOfRangeIsRefusedBeforeItsBytesArrive() throws Exception {
    Handshake.Keys[] k = agree(SECRET, SECRET);
    EmbeddedChannel server = new EmbeddedChannel(new RecordDecoder(k[1].receiving(true)));
    var e = assertThrows(TooLongFrameException.class,
        () -> server.writeInbound(Unpooled.buffer().writeInt(RecordEncoder.RECORD_BYTES)));
    assertTrue(e.getMessage().contains(Integer.toString(RecordEncoder.RECORD_BYTES)),
        e.getMessage());
    assertTrue(e.getMessage().contains("limit of " + (RecordEncoder.RECORD_BYTES - 4)),
        e.getMessage());
    server.finishAndReleaseAll();
    EmbeddedChannel again = new EmbeddedChannel(new RecordDecoder(k[1].receiving(true)));
    assertThrows(CorruptedFrameException.class,
        () -> again.writeInbound(Unpooled.buffer().writeInt(16).writeZero(16)));
    again.finishAndReleaseAll();
  }

  @Test
  void onlyBytesAreEncrypted() throws Exception {
    EmbeddedChannel client = new EmbeddedChannel(
        new RecordEncoder(agree(SECRET, SECRET)[0].sending(false)));
    var f = client.writeOneOutbound("not bytes");
    client.flushOutbound();
    assertFalse(f.isSuccess());
    assertTrue(f.cause().getMessage().contains("cannot encrypt a java.lang.String"),
        f.cause().getMessage());
    assertNull(client.readOutbound());
    client.finishAndReleaseAll();
  }

  /** Records of {@code plaintexts}, sealed in order by the client side of {@code k}. */
  private static ByteBuf[] sealed(Handshake.Keys[] k, byte[]... plaintexts) {
    EmbeddedChannel client = new EmbeddedChannel(new RecordEncoder(k[0].sending(false)));
    ByteBuf[] out = new ByteBuf[plaintexts.length];
    for (int i = 0; i < plaintexts.length; i++) {
      client.writeOutbound(Unpooled.wrappedBuffer(plaintexts[i]));
      ByteBuf record = client.readOutbound();
      out[i] = Unpooled.buffer().writeBytes(record);
      record.release();
    }
    client.finishAndReleaseAll();
    return out;
  }
}
