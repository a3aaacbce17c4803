package io.sparkps.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of an accepting pipeline. A handler that throws answers the request with {@link
 * Failure} when it had a request id; a broken frame closes this connection only. The frame
 * bytes a message holds are released once its handler returned.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<Message> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
  private final RequestHandler handler;

  RequestDispatcher(RequestHandler handler) {
    this.handler = handler;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
    try {
      handler.handle(ctx.channel(), msg);
    } catch (RuntimeException e) {
      LOG.warn("{} from {} failed", msg.type(), ctx.channel().remoteAddress(), e);
      if (msg.requestId() != 0) {
        ctx.writeAndFlush(new Failure(msg.requestId(), false, e.toString()));
      }
    } finally {
      HoldsFloats.release(msg); // the handler keeps nothing of the frame
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    handler.disconnected(ctx.channel());
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("Closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
