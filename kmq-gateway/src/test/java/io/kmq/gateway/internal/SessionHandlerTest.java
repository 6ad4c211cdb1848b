package io.kmq.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.gateway.ErrorCode;
import io.kmq.gateway.GatewayConfig;
import io.kmq.gateway.GatewayProtocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's session in memory. The services point at a Kafka address where nothing listens: these requests are
 * answered without Kafka (refusals, limits), and a subscription stays pending, which is all the limits need.
 */
class SessionHandlerTest {

    private GatewayServices services;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        GatewayConfig config = GatewayConfig.builder()
                .bootstrapServers("127.0.0.1:1")
                .gatewayId("gw-test")
                .maxSubscriptionsPerConnection(2)
                .maxPrefetch(10)
                .kafkaProperty("reconnect.backoff.ms", "10000")
                .build();
        services = new GatewayServices(config, new KafkaClients(config));
        channel = new EmbeddedChannel(FrameCodec.INSTANCE, new SessionHandler(services));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        services.close();
    }

    @Test
    void welcomesAfterTheHandshake() {
        channel.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete("/ws",
                new DefaultHttpHeaders(), GatewayProtocol.SUBPROTOCOL));
        assertEquals("{\"op\":\"welcome\",\"v\":1,\"gateway\":\"gw-test\",\"maxFrameBytes\":65536}", next());
    }

    @Test
    void refusesBadFramesAndKeepsTheConnection() {
        send("{not json");
        assertError(ErrorCode.BAD_JSON, null);
        send("{\"op\":\"fly\",\"id\":\"f\"}");
        assertError(ErrorCode.UNKNOWN_OP, "f");
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{1})));
        assertError(ErrorCode.UNSUPPORTED_FRAME, null);
        send("{\"op\":\"subscribe\",\"id\":\"s\",\"endpoint\":\"/bad topic/k\"}");
        assertError(ErrorCode.INVALID_ENDPOINT, "s");
        assertTrue(channel.isActive());
        assertEquals(4, services.metrics().errorsSent());
    }

    @Test
    void refusesAcknowledgmentsOfTagsItDoesNotHold() {
        send("{\"op\":\"ack\",\"id\":\"a\",\"tag\":42}");
        assertError(ErrorCode.UNKNOWN_TAG, "a");
        send("{\"op\":\"nack\",\"tag\":42,\"delayMs\":10}");
        assertError(ErrorCode.UNKNOWN_TAG, null);
    }

    @Test
    void refusesUnsubscribingWhatIsNotSubscribed() {
        send("{\"op\":\"unsubscribe\",\"id\":\"u\",\"endpoint\":\"/t/k\"}");
        assertError(ErrorCode.NOT_SUBSCRIBED, "u");
        send("{\"op\":\"unsubscribe\",\"id\":\"v\",\"endpoint\":\"/t\",\"group\":\"g\"}");
        assertError(ErrorCode.NOT_SUBSCRIBED, "v");
    }

    @Test
    void enforcesSubscriptionLimits() {
        send("{\"op\":\"subscribe\",\"id\":\"1\",\"endpoint\":\"/t/a\"}");
        send("{\"op\":\"subscribe\",\"id\":\"2\",\"endpoint\":\"/t/a\"}");
        assertError(ErrorCode.ALREADY_SUBSCRIBED, "2");
        send("{\"op\":\"subscribe\",\"id\":\"3\",\"endpoint\":\"/t\",\"group\":\"g\",\"prefetch\":11}");
        assertError(ErrorCode.BAD_REQUEST, "3");
        send("{\"op\":\"subscribe\",\"id\":\"4\",\"endpoint\":\"/t/*\"}");
        send("{\"op\":\"subscribe\",\"id\":\"5\",\"endpoint\":\"/t/b\"}");
        assertError(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "5");
    }

    @Test
    void closesWithMessageTooBigWhenAFragmentedMessageIsTooLong() {
        channel.pipeline().fireExceptionCaught(new TooLongFrameException("content length exceeded"));
        CloseWebSocketFrame close = assertInstanceOf(CloseWebSocketFrame.class, channel.readOutbound());
        assertEquals(GatewayProtocol.CLOSE_MESSAGE_TOO_BIG, close.statusCode());
        close.release();
        assertFalse(channel.isOpen());
    }

    private void send(String text) {
        channel.writeInbound(new TextWebSocketFrame(text));
    }

    private String next() {
        channel.runPendingTasks();
        TextWebSocketFrame frame = assertInstanceOf(TextWebSocketFrame.class, channel.readOutbound());
        try {
            return frame.text();
        } finally {
            frame.release();
        }
    }

    private void assertError(ErrorCode code, String id) {
        ServerMessage.ErrorReply error = assertInstanceOf(ServerMessage.ErrorReply.class,
                JsonCodec.decodeMessage(next()));
        assertEquals(code, error.code(), error::message);
        assertEquals(id, error.id());
    }
}
