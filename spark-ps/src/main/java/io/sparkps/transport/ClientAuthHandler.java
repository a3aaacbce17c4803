package io.sparkps.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;

/**
 * Connecting side of the handshake ({@link Handshake}): answers the server's {@link Challenge}
 * with its proof of the secret and, on an encrypted connection, its public key, installing the
 * record layer right behind that answer; completes {@code authenticated} on an {@link AuthOk}
 * that proves the server holds the secret too, and steps out of the pipeline. Fails it when the
 * server closes the connection first (a wrong secret), encrypts when this side does not or the
 * other way round, or sends anything else. Sends nothing more until {@code AuthOk}.
 */
final class ClientAuthHandler extends ChannelInboundHandlerAdapter {
  private final Secret secret;
  private final boolean encrypt;
  private final CompletableFuture<Void> authenticated;
  private byte[] transcript;

  ClientAuthHandler(Secret secret, boolean encrypt, CompletableFuture<Void> authenticated) {
    this.secret = secret;
    this.encrypt = encrypt;
    this.authenticated = authenticated;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (authenticated.isDone()) {
      ReferenceCountUtil.release(msg); // more frames after this side gave up
      HoldsFloats.release(msg);
    } else if (msg instanceof Challenge c && transcript == null) {
      answer(ctx, c);
    } else if (msg instanceof AuthOk ok && transcript != null) {
      if (!MessageDigest.isEqual(Handshake.serverProof(secret, transcript), ok.mac())) {
        fail(ctx, "the server at " + ctx.channel().remoteAddress() + " did not prove that it "
            + "holds this application's secret");
        return;
      }
      ctx.pipeline().remove(this);
      ctx.pipeline().get(FrameDecoder.class).authenticated();
      authenticated.complete(null);
    } else {
      HoldsFloats.release(msg);
      fail(ctx, "unexpected " + msg + " from " + ctx.channel().remoteAddress()
          + " during the handshake");
    }
  }

  private void answer(ChannelHandlerContext ctx, Challenge c) {
    KeyPair keyPair = encrypt ? Handshake.newKeyPair() : null;
    byte[] publicKey = encrypt ? Handshake.publicKey(keyPair) : new byte[0];
    transcript = Handshake.transcript(c, encrypt, publicKey);
    AuthResponse response = new AuthResponse(encrypt, publicKey,
        Handshake.clientProof(secret, transcript));
    if (c.encrypted() != encrypt) {
      // Answered all the same, so that the server can log what is wrong, too.
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      authenticated.completeExceptionally(new TransportException("the server at "
          + ctx.channel().remoteAddress() + (c.encrypted()
              ? " encrypts (spark.ps.crypto.enabled=true there) and this side does not "
                  + "(spark.ps.crypto.enabled=false here)"
              : " does not encrypt (spark.ps.crypto.enabled=false there) and this side requires "
                  + "encryption (spark.ps.crypto.enabled=true here)")
          + "; set spark.ps.crypto.enabled the same for the whole application"));
      return;
    }
    FrameDecoder frames = ctx.pipeline().get(FrameDecoder.class);
    if (encrypt && frames.buffered() > 0) {
      fail(ctx, "the server at " + ctx.channel().remoteAddress() + " sent " + frames.buffered()
          + " bytes after its CHALLENGE, before this side answered");
      return;
    }
    ctx.writeAndFlush(response);
    if (encrypt) {
      try {
        Transport.encrypt(ctx.pipeline(), Handshake.keys(secret, transcript,
            keyPair.getPrivate(), c.publicKey()), false);
      } catch (GeneralSecurityException e) {
        fail(ctx, "the public key of the server at " + ctx.channel().remoteAddress()
            + " is unusable: " + e);
      }
    }
  }

  private void fail(ChannelHandlerContext ctx, String why) {
    authenticated.completeExceptionally(new TransportException(why));
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    authenticated.completeExceptionally(new AuthRefusedException(
        "connection to " + ctx.channel().remoteAddress()
            + " closed during the handshake: the peer refused this application's secret"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    authenticated.completeExceptionally(cause);
    ctx.fireExceptionCaught(cause);
  }
}
