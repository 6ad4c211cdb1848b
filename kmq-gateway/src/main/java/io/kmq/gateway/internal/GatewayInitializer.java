package io.kmq.gateway.internal;

import io.kmq.gateway.GatewayConfig;
import io.kmq.gateway.GatewayProtocol;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.Objects;

/**
 * Assembles the pipeline of a client connection from named handlers:
 * <pre>
 *   http-codec       HTTP/1.1 until the WebSocket upgrade (then replaced by the frame decoder and encoder)
 *   http-aggregator  the upgrade request in one piece
 *   ws-protocol      handshake (subprotocol kmq.v1), ping/pong, close; frames above maxFrameBytes close with 1009
 *   ws-aggregator    fragmented messages in one piece, again at most maxFrameBytes (else 1009)
 *   http-fallback    GET /health, and 404 for other plain HTTP requests
 *   json-codec       text frames to {@link ClientCommand}s (or refusals), {@link ServerMessage}s to text frames
 *   session          the connection's state and requests ({@link SessionHandler})
 * </pre>
 * Authentication fits in as handlers of their own: one after {@code http-aggregator} that checks the upgrade request
 * (a JWT in a header or the query), answers 401 or stores the principal as a channel attribute, and one between
 * {@code json-codec} and {@code session} that checks each {@link ClientCommand} against the principal's permissions
 * and passes a refused one on as a {@link ProtocolException} (the session answers it with an {@code error} frame, in
 * order with everything else).
 */
public final class GatewayInitializer extends ChannelInitializer<SocketChannel> {

    /** Name of the HTTP codec (replaced by the WebSocket frame codec at the upgrade). */
    public static final String HTTP_CODEC = "http-codec";
    /** Name of the handler assembling the upgrade request. */
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    /** Name of Netty's WebSocket protocol handler. */
    public static final String WEBSOCKET = "ws-protocol";
    /** Name of the handler assembling fragmented messages. */
    public static final String FRAME_AGGREGATOR = "ws-aggregator";
    /** Name of the handler answering plain HTTP requests. */
    public static final String HTTP_FALLBACK = "http-fallback";
    /** Name of the JSON codec ({@link FrameCodec}). */
    public static final String JSON_CODEC = "json-codec";
    /** Name of the connection's {@link SessionHandler}. */
    public static final String SESSION = "session";

    /** The largest HTTP request (the upgrade) accepted, in bytes. */
    static final int MAX_HTTP_REQUEST_BYTES = 16 * 1024;

    private final GatewayServices services;
    private final WebSocketServerProtocolConfig websocketConfig;

    /** An initializer whose connections use {@code services}. */
    public GatewayInitializer(GatewayServices services) {
        this.services = Objects.requireNonNull(services, "services");
        GatewayConfig config = services.config();
        this.websocketConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(config.path())
                .subprotocols(GatewayProtocol.SUBPROTOCOL)
                .checkStartsWith(false)
                .handshakeTimeoutMillis(config.handshakeTimeout().toMillis())
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(config.maxFrameBytes())
                        .allowExtensions(false)
                        .closeOnProtocolViolation(true)
                        .build())
                .build();
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        services.channels().add(channel);
        GatewayConfig config = services.config();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(HTTP_CODEC, new HttpServerCodec());
        pipeline.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
        pipeline.addLast(WEBSOCKET, new WebSocketServerProtocolHandler(websocketConfig));
        pipeline.addLast(FRAME_AGGREGATOR, new WebSocketFrameAggregator(config.maxFrameBytes()));
        pipeline.addLast(HTTP_FALLBACK, new HttpFallbackHandler(config.path()));
        pipeline.addLast(JSON_CODEC, FrameCodec.INSTANCE);
        pipeline.addLast(SESSION, new SessionHandler(services));
    }
}
