package io.sparkps.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one place that builds spark-ps pipelines: frame codec, handshake, then the endpoint's
 * handler. Owns the event loop threads of its endpoints; {@link #close()} stops them.
 *
 * <pre>
 * accepting:  FlushConsolidation -> FrameDecoder -> FrameEncoder -> ServerAuthHandler
 *                 -> RequestDispatcher
 * connecting: FlushConsolidation -> FrameDecoder -> FrameEncoder -> ClientAuthHandler
 *                 -> ResponseHandler
 * encrypted, once the handshake has agreed on keys:
 *             FlushConsolidation -> RecordDecoder -> RecordEncoder -> FrameDecoder -> ...
 * </pre>
 *
 * Flushes are consolidated: answers written while a read is being handled go out in one
 * system call once the read is done, and requests written by several threads at once are
 * flushed together.
 *
 * <p>Every connection authenticates both sides with the {@link Secret}; when this transport
 * encrypts ({@code spark.ps.crypto.enabled}), every byte after the handshake travels in AES-GCM
 * records keyed by it (see {@link Handshake}). Both ends of a connection must agree: a peer that
 * encrypts when this side does not, or the other way round, is refused.
 */
public final class Transport implements AutoCloseable {
  /** Most flushes held back while answers to one read's requests are being written. */
  private static final int FLUSHES_PER_BATCH = 64;
  /**
   * Largest buffer one socket read fills. Netty's default (64 KiB) takes 64 reads, each a
   * system call and a buffer, per 4 MiB frame; the buffer size adapts to what reads return,
   * so small requests still get small buffers. Not above the pieces frames are written in
   * ({@link FrameEncoder#PIECE_BYTES}): larger buffers are not pooled, and a fresh one per
   * read costs page faults.
   */
  static final int MAX_READ_BYTES = FrameEncoder.PIECE_BYTES;
  private final Secret secret;
  private final int maxFrameBytes;
  private final long timeoutMs;
  private final boolean encrypt;
  private final EventLoopGroup group;

  /** A transport whose connections are authenticated but not encrypted. */
  public Transport(String name, Secret secret, int ioThreads, int maxFrameBytes, long timeoutMs) {
    this(name, secret, ioThreads, maxFrameBytes, timeoutMs, false);
  }

  /**
   * @param name prefix of the event loop thread names
   * @param ioThreads event loop threads
   * @param maxFrameBytes largest frame accepted
   * @param timeoutMs timeout for connecting, the handshake and every request
   * @param encrypt whether connections are encrypted after the handshake
   *     (spark.ps.crypto.enabled); peers must have the same setting
   */
  public Transport(String name, Secret secret, int ioThreads, int maxFrameBytes, long timeoutMs,
      boolean encrypt) {
    this.secret = secret;
    this.maxFrameBytes = maxFrameBytes;
    this.timeoutMs = timeoutMs;
    this.encrypt = encrypt;
    if (encrypt) {
      Handshake.warmUp();
    }
    this.group = new MultiThreadIoEventLoopGroup(ioThreads,
        new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
  }

  /** Listens on {@code host:port} (port 0: any free port) and returns the bound channel. */
  public Channel listen(String host, int port, RequestHandler handler) {
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.RCVBUF_ALLOCATOR, readBuffers())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            p.addLast("flushConsolidation", new FlushConsolidationHandler(
                FLUSHES_PER_BATCH, true));
            p.addLast("frameDecoder", new FrameDecoder(maxFrameBytes));
            p.addLast("frameEncoder", FrameEncoder.INSTANCE);
            p.addLast("auth", new ServerAuthHandler(secret, timeoutMs, encrypt));
            p.addLast("dispatcher", new RequestDispatcher(handler));
          }
        });
    try {
      return b.bind(host, port).sync().channel();
    } catch (Exception e) {
      throw new TransportException("could not listen on " + host + ":" + port + ": " + e, e);
    }
  }

  /**
   * Connects and authenticates. The future completes with a client ready for requests, or fails
   * when the peer cannot be reached or refuses the secret.
   *
   * @param oneWay receives messages the peer sends that answer no request
   */
  public CompletableFuture<TransportClient> connect(
      InetSocketAddress address, Consumer<Message> oneWay) {
    CompletableFuture<Void> authenticated = new CompletableFuture<>();
    ResponseHandler responses = new ResponseHandler(oneWay);
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.RCVBUF_ALLOCATOR, readBuffers())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMs))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            p.addLast("flushConsolidation", new FlushConsolidationHandler(
                FLUSHES_PER_BATCH, true));
            p.addLast("frameDecoder", new FrameDecoder(maxFrameBytes));
            p.addLast("frameEncoder", FrameEncoder.INSTANCE);
            p.addLast("auth", new ClientAuthHandler(secret, encrypt, authenticated));
            p.addLast("responses", responses);
          }
        });
    CompletableFuture<TransportClient> result = new CompletableFuture<>();
    b.connect(address).addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(
            new TransportException("could not connect to " + address + ": " + f.cause(),
                f.cause()));
        return;
      }
      Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
      TransportClient client = new TransportClient(ch, timeoutMs);
      responses.attach(client);
      authenticated.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
        if (e == null) {
          result.complete(client);
        } else {
          ch.close();
          result.completeExceptionally(e);
        }
      });
    });
    return result;
  }

  private static AdaptiveRecvByteBufAllocator readBuffers() {
    return new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES);
  }

  /** Whether this transport's connections are encrypted. */
  public boolean encrypts() {
    return encrypt;
  }

  /**
   * Puts the record layer of an encrypted connection under the frame codec; called by the
   * handshake handlers once the keys are agreed, before anything is sent with them.
   *
   * @param accepted whether this side accepted the connection (it then sends with the server
   *     key)
   */
  static void encrypt(ChannelPipeline p, Handshake.Keys keys, boolean accepted) {
    p.addAfter("flushConsolidation", "recordDecoder",
        new RecordDecoder(keys.receiving(accepted)));
    p.addAfter("recordDecoder", "recordEncoder", new RecordEncoder(keys.sending(accepted)));
  }

  /** The event loops, for timeouts of the endpoints they serve. */
  public java.util.concurrent.ScheduledExecutorService timer() {
    return group;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
