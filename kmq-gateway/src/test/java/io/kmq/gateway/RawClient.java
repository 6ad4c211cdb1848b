package io.kmq.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmq.gateway.internal.Closing;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket client for tests that need to misbehave: send malformed or oversized frames, or stop reading.
 * Records every text frame received (parsed) and the close code.
 */
final class RawClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("raw-client", true), NioIoHandler.newFactory());
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private Channel channel;
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    private RawClient() {
    }

    /** Connects and completes the handshake; {@code receiveBufferBytes} > 0 sets a small SO_RCVBUF. */
    static RawClient connect(URI uri, int receiveBufferBytes) throws Exception {
        RawClient client = new RawClient();
        try {
            client.open(uri, receiveBufferBytes);
            return client;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    private void open(URI uri, int receiveBufferBytes) throws Exception {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                        .webSocketUri(uri).subprotocol(GatewayProtocol.SUBPROTOCOL)
                                        .customHeaders(new DefaultHttpHeaders()).handleCloseFrames(false)
                                        .maxFramePayloadLength(16 * 1024 * 1024).build()),
                                new Recorder());
                    }
                });
        if (receiveBufferBytes > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, receiveBufferBytes);
        }
        channel = bootstrap.connect(uri.getHost(), uri.getPort()).sync().channel();
        handshake.get(30, TimeUnit.SECONDS);
    }

    /** Frames whose op is {@code op}. */
    List<JsonNode> frames(String op) {
        return frames.stream().filter(frame -> op.equals(frame.path("op").asText())).toList();
    }

    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text)).syncUninterruptibly();
    }

    /** Sends one message as two fragments. */
    void sendFragmented(String first, String last) {
        channel.write(new TextWebSocketFrame(false, 0, first));
        channel.writeAndFlush(new ContinuationWebSocketFrame(true, 0, last)).syncUninterruptibly();
    }

    void sendBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))).syncUninterruptibly();
    }

    /** Stops or resumes reading from the socket (a client that stops reading is a slow consumer). */
    void reading(boolean on) {
        channel.config().setAutoRead(on);
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        if (channel == null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            return;
        }
        RuntimeException failure = Closing.run(null, () -> channel.close().syncUninterruptibly());
        failure = Closing.run(failure, () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        if (failure != null) {
            throw failure;
        }
    }

    private final class Recorder extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) throws Exception {
            if (frame instanceof TextWebSocketFrame text) {
                frames.add(JSON.readTree(text.text()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeCode.complete(close.statusCode());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshake.complete(null);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeCode.complete(-1);
            handshake.completeExceptionally(new IllegalStateException("closed before the handshake"));
        }
    }
}
