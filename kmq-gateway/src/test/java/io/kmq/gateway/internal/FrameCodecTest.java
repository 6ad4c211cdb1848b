package io.kmq.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.kmq.gateway.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(FrameCodec.INSTANCE);

    @Test
    void decodesTextFramesIntoCommands() {
        channel.writeInbound(new TextWebSocketFrame("{\"op\":\"ack\",\"id\":\"a\",\"tag\":3}"));
        assertEquals(new ClientCommand.Ack("a", 3), channel.readInbound());
    }

    @Test
    void decodesBadFramesIntoRefusals() {
        channel.writeInbound(new TextWebSocketFrame("{\"op\":"));
        assertEquals(ErrorCode.BAD_JSON, ((ProtocolException) channel.readInbound()).code());
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{1, 2})));
        assertEquals(ErrorCode.UNSUPPORTED_FRAME, ((ProtocolException) channel.readInbound()).code());
    }

    @Test
    void passesControlFramesThrough() {
        PingWebSocketFrame ping = new PingWebSocketFrame();
        channel.writeInbound(ping);
        assertSame(ping, channel.readInbound());
        ping.release();
    }

    @Test
    void encodesServerMessagesIntoTextFrames() {
        channel.writeOutbound(new ServerMessage.Welcome(1, "gw", 4096));
        TextWebSocketFrame frame = assertInstanceOf(TextWebSocketFrame.class, channel.readOutbound());
        assertEquals("{\"op\":\"welcome\",\"v\":1,\"gateway\":\"gw\",\"maxFrameBytes\":4096}", frame.text());
        frame.release();
    }
}
