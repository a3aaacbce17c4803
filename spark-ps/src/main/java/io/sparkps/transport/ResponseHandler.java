package io.sparkps.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of a connecting pipeline: hands responses to their {@link TransportClient} and
 * one-way messages from the peer to a listener; fails every pending request when the connection
 * closes.
 */
final class ResponseHandler extends SimpleChannelInboundHandler<Message> {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseHandler.class);
  private final Consumer<Message> oneWay;
  private TransportClient client;

  ResponseHandler(Consumer<Message> oneWay) {
    this.oneWay = oneWay;
  }

  void attach(TransportClient client) {
    this.client = client;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
    try {
      if (msg.requestId() != 0 && client != null) {
        client.complete(msg);
      } else {
        oneWay.accept(msg);
      }
    } finally {
      HoldsFloats.release(msg); // what the client hands over was copied out of the frame
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (client != null) {
      client.failAll(client.closed());
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("Closing connection to {}: {}", ctx.channel().remoteAddress(), cause.toString());
    if (client != null) {
      client.failAll(new TransportException(
          "connection to " + ctx.channel().remoteAddress() + " failed: " + cause, cause));
    }
    ctx.close();
  }
}
