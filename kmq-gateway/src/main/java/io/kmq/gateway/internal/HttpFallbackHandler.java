package io.kmq.gateway.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Answers plain HTTP requests that are not a WebSocket upgrade on the gateway's path: {@code GET /health} with 200
 * (for load balancers), anything else with 404. Closes the connection after answering.
 */
public final class HttpFallbackHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** The path of the health check. */
    public static final String HEALTH_PATH = "/health";

    private final String websocketPath;

    /** @param websocketPath named in the 404 answer */
    public HttpFallbackHandler(String websocketPath) {
        this.websocketPath = websocketPath;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean health = request.method().equals(HttpMethod.GET) && request.uri().equals(HEALTH_PATH);
        HttpResponseStatus status = health ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND;
        String body = health ? "ok\n" : "not found: the kmq gateway's WebSocket endpoint is " + websocketPath + "\n";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=UTF-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
