package io.sparkps.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepting side of the handshake ({@link Handshake}): sends a {@link Challenge}, expects an
 * {@link AuthResponse} that proves the secret within a deadline, then, on an encrypted
 * connection, installs the record layer, answers {@link AuthOk} with its own proof and steps out
 * of the pipeline. Anything else before that closes the connection, as does a peer that
 * encrypts when this side does not or the other way round; nothing reaches the handlers behind
 * it.
 */
final class ServerAuthHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ServerAuthHandler.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Secret secret;
  private final long timeoutMs;
  private final boolean encrypt;
  private Challenge challenge;
  private KeyPair keyPair;
  private ScheduledFuture<?> deadline;
  private boolean refused;

  ServerAuthHandler(Secret secret, long timeoutMs, boolean encrypt) {
    this.secret = secret;
    this.timeoutMs = timeoutMs;
    this.encrypt = encrypt;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    byte[] nonce = new byte[Handshake.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    keyPair = encrypt ? Handshake.newKeyPair() : null;
    challenge = new Challenge(encrypt, nonce,
        encrypt ? Handshake.publicKey(keyPair) : new byte[0]);
    ctx.writeAndFlush(challenge);
    deadline = ctx.executor().schedule(() -> {
      LOG.warn("Closing {}: no authentication within {} ms", ctx.channel().remoteAddress(),
          timeoutMs);
      ctx.close();
    }, timeoutMs, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg); // more frames of a peer already refused
      HoldsFloats.release(msg);
      return;
    }
    String why = msg instanceof AuthResponse r && challenge != null ? accept(ctx, r)
        : "expected an AUTH_RESPONSE, got "
            + (msg instanceof Message m ? m.type() : msg.getClass().getSimpleName());
    if (why != null) {
      HoldsFloats.release(msg);
      refused = true;
      LOG.warn("Closing {}: {}", ctx.channel().remoteAddress(), why);
      ctx.close();
    }
  }

  /** Completes the handshake; or says why the peer is refused. */
  private String accept(ChannelHandlerContext ctx, AuthResponse r) {
    byte[] transcript = Handshake.transcript(challenge, r.encrypted(), r.publicKey());
    if (!MessageDigest.isEqual(Handshake.clientProof(secret, transcript), r.mac())) {
      return "its AUTH_RESPONSE does not prove this application's secret";
    }
    if (r.encrypted() != encrypt) {
      return r.encrypted()
          ? "it encrypts (spark.ps.crypto.enabled=true there) and this side does not "
              + "(spark.ps.crypto.enabled=false here); set spark.ps.crypto.enabled the same for "
              + "the whole application"
          : "it does not encrypt (spark.ps.crypto.enabled=false there) and this side requires "
              + "encryption (spark.ps.crypto.enabled=true here); set spark.ps.crypto.enabled the "
              + "same for the whole application";
    }
    FrameDecoder frames = ctx.pipeline().get(FrameDecoder.class);
    if (encrypt) {
      if (frames.buffered() > 0) {
        return "it sent " + frames.buffered() + " bytes before AUTH_OK (an encrypted "
            + "connection carries nothing in the clear after the handshake)";
      }
      try {
        Transport.encrypt(ctx.pipeline(), Handshake.keys(secret, transcript,
            keyPair.getPrivate(), r.publicKey()), true);
      } catch (GeneralSecurityException e) {
        return "its public key is unusable: " + e;
      }
    }
    deadline.cancel(false);
    ctx.pipeline().remove(this);
    frames.authenticated();
    ctx.writeAndFlush(new AuthOk(Handshake.serverProof(secret, transcript)));
    return null;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
