package io.sparkps.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CompletableFuture;

/**
 * Connecting side of the handshake: signs the server's {@link Challenge}; completes {@code
 * authenticated} on {@link AuthOk} and steps out of the pipeline. Fails it when the server
 * closes the connection first (a wrong secret) or sends anything else.
 */
final class ClientAuthHandler extends ChannelInboundHandlerAdapter {
  private final Secret secret;
  private final CompletableFuture<Void> authenticated;

  ClientAuthHandler(Secret secret, CompletableFuture<Void> authenticated) {
    this.secret = secret;
    this.authenticated = authenticated;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Challenge c) {
      ctx.writeAndFlush(new AuthResponse(secret.sign(c.nonce())));
    } else if (msg instanceof AuthOk) {
      ctx.pipeline().remove(this);
      ctx.pipeline().get(FrameDecoder.class).authenticated();
      authenticated.complete(null);
    } else {
      authenticated.completeExceptionally(new TransportException(
          "unexpected " + msg + " from " + ctx.channel().remoteAddress() + " during handshake"));
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    authenticated.completeExceptionally(new TransportException(
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
