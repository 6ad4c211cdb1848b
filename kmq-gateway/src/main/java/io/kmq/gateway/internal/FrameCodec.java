package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Between WebSocket frames and protocol objects: decodes each (aggregated) text frame into a {@link ClientCommand}, or
 * into the {@link ProtocolException} that refuses it, and encodes each {@link ServerMessage} into a text frame.
 * Control frames pass through. Stateless and sharable.
 */
@ChannelHandler.Sharable
public final class FrameCodec extends MessageToMessageCodec<WebSocketFrame, ServerMessage> {

    /** The one instance. */
    public static final FrameCodec INSTANCE = new FrameCodec();

    private FrameCodec() {
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof TextWebSocketFrame) {
            byte[] text = ByteBufUtil.getBytes(frame.content());
            try {
                out.add(JsonCodec.decodeCommand(text));
            } catch (ProtocolException e) {
                out.add(e);
            }
        } else if (frame instanceof BinaryWebSocketFrame) {
            out.add(new ProtocolException(ErrorCode.UNSUPPORTED_FRAME,
                    "binary frames are not supported (expected: JSON text frames)"));
        } else {
            out.add(frame.retain());
        }
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerMessage message, List<Object> out) throws Exception {
        ByteBuf buffer = ctx.alloc().buffer();
        try (ByteBufOutputStream stream = new ByteBufOutputStream(buffer)) {
            JsonCodec.encodeMessage(message, stream);
        } catch (Exception e) {
            buffer.release();
            throw e;
        }
        out.add(new TextWebSocketFrame(buffer));
    }
}
