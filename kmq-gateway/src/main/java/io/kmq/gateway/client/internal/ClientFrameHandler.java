package io.kmq.gateway.client.internal;

import io.kmq.gateway.internal.JsonCodec;
import io.kmq.gateway.internal.ServerMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes the gateway's text frames and hands them to the {@link ClientEngine}; notes the close code for diagnostics. */
final class ClientFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(ClientFrameHandler.class);

    private final ClientEngine engine;
    private final long generation;
    private String closeReason = "connection closed";

    ClientFrameHandler(ClientEngine engine, long generation) {
        this.engine = engine;
        this.generation = generation;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            ServerMessage message;
            try {
                message = JsonCodec.decodeMessage(text.text());
            } catch (RuntimeException e) {
                log.warn("ignoring a frame of {} that is not protocol version 1: {}", ctx.channel().remoteAddress(),
                        e.getMessage());
                return;
            }
            engine.received(generation, message);
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeReason = "closed by the gateway with code " + close.statusCode() + " (" + close.reasonText() + ")";
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        engine.disconnected(generation, closeReason);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection to {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        closeReason = cause.toString();
        ctx.close();
    }
}
