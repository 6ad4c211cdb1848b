package io.kmq.gateway.client.internal;

import io.kmq.gateway.GatewayProtocol;
import io.kmq.gateway.client.GatewayClientConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.URI;

/**
 * The pipeline of one client connection: {@code http-codec}, {@code http-aggregator}, {@code ws-protocol} (handshake
 * with subprotocol {@code kmq.v1}), {@code ws-aggregator} and {@code client} ({@link ClientFrameHandler}).
 */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_HTTP_RESPONSE_BYTES = 16 * 1024;

    private final URI address;
    private final GatewayClientConfig config;
    private final ClientEngine engine;
    private final long generation;

    ClientChannelInitializer(URI address, GatewayClientConfig config, ClientEngine engine, long generation) {
        this.address = address;
        this.config = config;
        this.engine = engine;
        this.generation = generation;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        WebSocketClientProtocolConfig websocket = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(address)
                .subprotocol(GatewayProtocol.SUBPROTOCOL)
                .customHeaders(new DefaultHttpHeaders())
                .maxFramePayloadLength(config.maxFrameBytes())
                .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                .handleCloseFrames(false)
                .build();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("http-codec", new HttpClientCodec());
        pipeline.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_RESPONSE_BYTES));
        pipeline.addLast("ws-protocol", new WebSocketClientProtocolHandler(websocket));
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(config.maxFrameBytes()));
        pipeline.addLast("client", new ClientFrameHandler(engine, generation));
    }
}
