package io.sparkps.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepting side of the handshake: sends a {@link Challenge}, expects the matching {@link
 * AuthResponse} within a deadline, then answers {@link AuthOk} and steps out of the pipeline.
 * Anything else before that closes the connection; nothing reaches the handlers behind it.
 */
final class ServerAuthHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ServerAuthHandler.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Secret secret;
  private final long timeoutMs;
  private byte[] nonce;
  private ScheduledFuture<?> deadline;

  ServerAuthHandler(Secret secret, long timeoutMs) {
    this.secret = secret;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    nonce = new byte[32];
    RANDOM.nextBytes(nonce);
    ctx.writeAndFlush(new Challenge(nonce));
    deadline = ctx.executor().schedule(() -> {
      LOG.warn("Closing {}: no authentication within {} ms", ctx.channel().remoteAddress(),
          timeoutMs);
      ctx.close();
    }, timeoutMs, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof AuthResponse r && nonce != null && secret.verify(nonce, r.mac())) {
      deadline.cancel(false);
      ctx.pipeline().remove(this);
      ctx.pipeline().get(FrameDecoder.class).authenticated();
      ctx.writeAndFlush(new AuthOk());
      return;
    }
    LOG.warn("Closing {}: expected a valid AUTH_RESPONSE, got {}", ctx.channel().remoteAddress(),
        msg instanceof Message m ? m.type() : msg.getClass().getSimpleName());
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
