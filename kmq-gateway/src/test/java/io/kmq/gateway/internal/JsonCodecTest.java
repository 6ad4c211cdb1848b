package io.kmq.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.gateway.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Golden frames of protocol version 1, both directions; docs/protocol.md shows the same frames. */
class JsonCodecTest {

    private static final Payload TEXT = Payload.ofText("1.0842");
    private static final Payload BINARY = Payload.ofBytes(new byte[]{(byte) 0xff, 0, 1});

    // ------------------------------------------------------------------ gateway -> client

    @Test
    void encodesServerFramesGolden() {
        assertEquals("{\"op\":\"welcome\",\"v\":1,\"gateway\":\"gw-1\",\"maxFrameBytes\":65536}",
                JsonCodec.encodeMessage(new ServerMessage.Welcome(1, "gw-1", 65536)));
        assertEquals("{\"op\":\"subscribed\",\"id\":\"s1\",\"endpoint\":\"/prices/EURUSD\",\"token\":\"AeveIngDAAWsAg\"}",
                JsonCodec.encodeMessage(new ServerMessage.Subscribed("s1", "/prices/EURUSD", null, "AeveIngDAAWsAg")));
        assertEquals("{\"op\":\"subscribed\",\"id\":\"q1\",\"endpoint\":\"/orders\",\"group\":\"workers\"}",
                JsonCodec.encodeMessage(new ServerMessage.Subscribed("q1", "/orders", "workers", null)));
        assertEquals("{\"op\":\"unsubscribed\",\"endpoint\":\"/prices/*\"}",
                JsonCodec.encodeMessage(new ServerMessage.Unsubscribed(null, "/prices/*", null)));
        assertEquals("{\"op\":\"message\",\"subscription\":\"/prices/*\",\"endpoint\":\"/prices/EURUSD\","
                        + "\"payload\":\"1.0842\",\"timestamp\":1700000000000,\"token\":\"AeveIngDAAWsAg\"}",
                JsonCodec.encodeMessage(new ServerMessage.Message("/prices/*", "/prices/EURUSD", TEXT, 1700000000000L,
                        "AeveIngDAAWsAg", false)));
        assertEquals("{\"op\":\"message\",\"subscription\":\"/t/k\",\"endpoint\":\"/t/k\",\"payloadBase64\":\"/wAB\","
                        + "\"timestamp\":5,\"token\":\"AeR_kEMBAA\",\"conflated\":true}",
                JsonCodec.encodeMessage(new ServerMessage.Message("/t/k", "/t/k", BINARY, 5, "AeR_kEMBAA", true)));
        assertEquals("{\"op\":\"message\",\"subscription\":\"/t/*\",\"endpoint\":\"/t\",\"payload\":null,"
                        + "\"timestamp\":5,\"token\":\"AeR_kEMBAA\"}",
                JsonCodec.encodeMessage(new ServerMessage.Message("/t/*", "/t", Payload.none(), 5, "AeR_kEMBAA",
                        false)));
        assertEquals("{\"op\":\"gap\",\"subscription\":\"/t/k\",\"missed\":20,\"reason\":\"RETENTION\","
                        + "\"token\":\"AeR_kEMBAA\"}",
                JsonCodec.encodeMessage(new ServerMessage.Gap("/t/k", 20, "RETENTION", "AeR_kEMBAA")));
        assertEquals("{\"op\":\"publish-ack\",\"id\":\"p1\",\"endpoint\":\"/prices/EURUSD\",\"partition\":2,"
                        + "\"offset\":41,\"timestamp\":1700000000000}",
                JsonCodec.encodeMessage(new ServerMessage.PublishAck("p1", "/prices/EURUSD", 2, 41, 1700000000000L)));
        assertEquals("{\"op\":\"delivery\",\"subscription\":\"/orders\",\"group\":\"workers\",\"tag\":7,"
                        + "\"endpoint\":\"/orders/o-17\",\"payload\":\"{\\\"qty\\\":3}\",\"timestamp\":9,"
                        + "\"redeliveries\":1}",
                JsonCodec.encodeMessage(new ServerMessage.Delivery("/orders", "workers", 7, "/orders/o-17",
                        Payload.ofText("{\"qty\":3}"), 9, 1)));
        assertEquals("{\"op\":\"error\",\"id\":\"p2\",\"code\":\"UNKNOWN_TOPIC\",\"message\":\"topic x does not exist\"}",
                JsonCodec.encodeMessage(new ServerMessage.ErrorReply("p2", ErrorCode.UNKNOWN_TOPIC,
                        "topic x does not exist")));
    }

    @Test
    void decodesServerFramesAsEncoded() {
        ServerMessage[] messages = {
            new ServerMessage.Welcome(1, "gw-1", 65536),
            new ServerMessage.Subscribed("s1", "/prices/EURUSD", null, "AeveIngDAAWsAg"),
            new ServerMessage.Subscribed("q1", "/orders", "workers", null),
            new ServerMessage.Unsubscribed("u", "/orders", "workers"),
            new ServerMessage.Message("/prices/*", "/prices/EURUSD", TEXT, 1700000000000L, "AeveIngDAAWsAg", true),
            new ServerMessage.Message("/t/k", "/t/k", BINARY, 5, "AeR_kEMBAA", false),
            new ServerMessage.Message("/t/*", "/t", Payload.none(), 5, "AeR_kEMBAA", false),
            new ServerMessage.Gap("/t/k", 20, "RETENTION", "AeR_kEMBAA"),
            new ServerMessage.PublishAck("p1", "/prices/EURUSD", 2, 41, 1700000000000L),
            new ServerMessage.Delivery("/orders", "workers", 7, "/orders/o-17", TEXT, 9, 1),
            new ServerMessage.ErrorReply(null, ErrorCode.BAD_JSON, "malformed"),
        };
        for (ServerMessage message : messages) {
            assertEquals(message, JsonCodec.decodeMessage(JsonCodec.encodeMessage(message)));
        }
    }

    // ------------------------------------------------------------------ client -> gateway

    @Test
    void decodesClientFramesGolden() {
        assertEquals(new ClientCommand.SubscribeFanout("s1", Endpoint.parse("/prices/EURUSD"), ClientCommand.From.LAST,
                        null),
                decode("{\"op\":\"subscribe\",\"id\":\"s1\",\"endpoint\":\"/prices/EURUSD\",\"from\":\"last\"}"));
        assertEquals(new ClientCommand.SubscribeFanout(null, Endpoint.parse("/prices/*"), ClientCommand.From.NEW,
                        "AeveIngDAAWsAg"),
                decode("{\"op\":\"subscribe\",\"endpoint\":\"/prices/*\",\"resume\":\"AeveIngDAAWsAg\"}"));
        assertEquals(new ClientCommand.SubscribeQueue("q1", Endpoint.parse("/orders"), "workers", 10),
                decode("{\"op\":\"subscribe\",\"id\":\"q1\",\"endpoint\":\"/orders\",\"group\":\"workers\","
                        + "\"prefetch\":10}"));
        assertEquals(new ClientCommand.SubscribeQueue(null, Endpoint.parse("/orders"), "workers", 1),
                decode("{\"op\":\"subscribe\",\"endpoint\":\"/orders\",\"group\":\"workers\"}"));
        assertEquals(new ClientCommand.Unsubscribe("u1", Endpoint.parse("/orders"), "workers"),
                decode("{\"op\":\"unsubscribe\",\"id\":\"u1\",\"endpoint\":\"/orders\",\"group\":\"workers\"}"));
        assertEquals(new ClientCommand.Publish("p1", Endpoint.parse("/prices/EURUSD"), TEXT),
                decode("{\"op\":\"publish\",\"id\":\"p1\",\"endpoint\":\"/prices/EURUSD\",\"payload\":\"1.0842\"}"));
        assertEquals(new ClientCommand.Publish("p2", Endpoint.parse("/t"), BINARY),
                decode("{\"op\":\"publish\",\"id\":\"p2\",\"endpoint\":\"/t\",\"payloadBase64\":\"/wAB\"}"));
        assertEquals(new ClientCommand.Publish(null, Endpoint.parse("/t/k"), Payload.none()),
                decode("{\"op\":\"publish\",\"endpoint\":\"/t/k\",\"payload\":null}"));
        assertEquals(new ClientCommand.Ack(null, 7), decode("{\"op\":\"ack\",\"tag\":7}"));
        assertEquals(new ClientCommand.Nack("n", 7, Duration.ofSeconds(5)),
                decode("{\"op\":\"nack\",\"id\":\"n\",\"tag\":7,\"delayMs\":5000}"));
        assertEquals(new ClientCommand.Nack(null, 8, Duration.ZERO), decode("{\"op\":\"nack\",\"tag\":8}"));
    }

    @Test
    void ignoresUnknownFields() {
        assertEquals(new ClientCommand.Ack(null, 7), decode("{\"op\":\"ack\",\"tag\":7,\"later\":{\"x\":[1]}}"));
    }

    @Test
    void encodesClientFramesGolden() {
        assertEquals("{\"op\":\"subscribe\",\"id\":\"1\",\"endpoint\":\"/prices/*\",\"resume\":\"AeveIngDAAWsAg\"}",
                JsonCodec.encodeCommand(new ClientCommand.SubscribeFanout("1", Endpoint.parse("/prices/*"),
                        ClientCommand.From.NEW, "AeveIngDAAWsAg")));
        assertEquals("{\"op\":\"subscribe\",\"id\":\"2\",\"endpoint\":\"/t/k\",\"from\":\"last\"}",
                JsonCodec.encodeCommand(new ClientCommand.SubscribeFanout("2", Endpoint.parse("/t/k"),
                        ClientCommand.From.LAST, null)));
        assertEquals("{\"op\":\"subscribe\",\"id\":\"3\",\"endpoint\":\"/orders\",\"group\":\"workers\",\"prefetch\":10}",
                JsonCodec.encodeCommand(new ClientCommand.SubscribeQueue("3", Endpoint.parse("/orders"), "workers", 10)));
        assertEquals("{\"op\":\"unsubscribe\",\"id\":\"4\",\"endpoint\":\"/t/k\"}",
                JsonCodec.encodeCommand(new ClientCommand.Unsubscribe("4", Endpoint.parse("/t/k"), null)));
        assertEquals("{\"op\":\"publish\",\"id\":\"5\",\"endpoint\":\"/t/k\",\"payload\":\"1.0842\"}",
                JsonCodec.encodeCommand(new ClientCommand.Publish("5", Endpoint.parse("/t/k"), TEXT)));
        assertEquals("{\"op\":\"publish\",\"id\":\"6\",\"endpoint\":\"/t\",\"payloadBase64\":\"/wAB\"}",
                JsonCodec.encodeCommand(new ClientCommand.Publish("6", Endpoint.parse("/t"), BINARY)));
        assertEquals("{\"op\":\"ack\",\"tag\":7}", JsonCodec.encodeCommand(new ClientCommand.Ack(null, 7)));
        assertEquals("{\"op\":\"nack\",\"tag\":7,\"delayMs\":5000}",
                JsonCodec.encodeCommand(new ClientCommand.Nack(null, 7, Duration.ofSeconds(5))));
    }

    @Test
    void refusesMalformedJson() {
        assertRefused("not json", ErrorCode.BAD_JSON, null, "malformed JSON");
        assertRefused("", ErrorCode.BAD_JSON, null, "expected a JSON object, got nothing");
        assertRefused("[1,2]", ErrorCode.BAD_JSON, null, "expected a JSON object, got array");
        assertRefused("{\"op\":\"ack\",\"op\":\"nack\"}", ErrorCode.BAD_JSON, null, "Duplicate field 'op'");
        assertRefused("{\"op\":\"ack\",\"tag\":1} trailing", ErrorCode.BAD_JSON, null, "malformed JSON");
        assertRefused("{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}", ErrorCode.BAD_JSON, null, "nesting depth");
    }

    @Test
    void refusesInvalidRequestsNamingTheField() {
        assertRefused("{\"id\":\"x\"}", ErrorCode.BAD_REQUEST, "x", "op is required");
        assertRefused("{\"op\":\"fly\",\"id\":\"x\"}", ErrorCode.UNKNOWN_OP, "x", "op : fly (expected: subscribe");
        assertRefused("{\"op\":\"ack\",\"id\":5}", ErrorCode.BAD_REQUEST, null, "id : number (expected: a string)");
        assertRefused("{\"op\":\"subscribe\",\"id\":\"x\"}", ErrorCode.BAD_REQUEST, "x", "endpoint is required");
        assertRefused("{\"op\":\"subscribe\",\"id\":\"x\",\"endpoint\":\"t/k\"}", ErrorCode.INVALID_ENDPOINT, "x",
                "must start with '/'");
        assertRefused("{\"op\":\"subscribe\",\"endpoint\":\"/t\"}", ErrorCode.INVALID_ENDPOINT, null, "needs a group");
        assertRefused("{\"op\":\"subscribe\",\"endpoint\":\"/t/k\",\"group\":\"g\"}", ErrorCode.INVALID_ENDPOINT, null,
                "expected: /t for a queue subscription");
        assertRefused("{\"op\":\"subscribe\",\"endpoint\":\"/t\",\"group\":\"g\",\"prefetch\":0}",
                ErrorCode.BAD_REQUEST, null, "prefetch : 0 (expected: >= 1)");
        assertRefused("{\"op\":\"subscribe\",\"endpoint\":\"/t\",\"group\":\"g\",\"prefetch\":1.5}",
                ErrorCode.BAD_REQUEST, null, "prefetch : 1.5 (expected: an integer)");
        assertRefused("{\"op\":\"subscribe\",\"endpoint\":\"/t\",\"group\":\"\"}", ErrorCode.BAD_REQUEST, null,
                "group has 0 characters");
        assertRefused("{\"op\":\"subscribe\",\"endpoint\":\"/t\",\"group\":\"g\",\"resume\":\"x\"}",
                ErrorCode.BAD_REQUEST, null, "resume applies to fan-out subscriptions only");
        assertRefused("{\"op\":\"subscribe\",\"endpoint\":\"/t/k\",\"prefetch\":3}", ErrorCode.BAD_REQUEST, null,
                "prefetch applies to queue subscriptions");
        assertRefused("{\"op\":\"subscribe\",\"endpoint\":\"/t/k\",\"from\":\"first\"}", ErrorCode.BAD_REQUEST, null,
                "from : first (expected: new or last)");
        assertRefused("{\"op\":\"publish\",\"endpoint\":\"/t/*\",\"payload\":\"v\"}", ErrorCode.INVALID_ENDPOINT,
                null, "cannot publish to every key");
        assertRefused("{\"op\":\"publish\",\"endpoint\":\"/t/k\"}", ErrorCode.BAD_REQUEST, null,
                "exactly one of payload and payloadBase64");
        assertRefused("{\"op\":\"publish\",\"endpoint\":\"/t/k\",\"payload\":\"a\",\"payloadBase64\":\"YQ\"}",
                ErrorCode.BAD_REQUEST, null, "exactly one of payload and payloadBase64");
        assertRefused("{\"op\":\"publish\",\"endpoint\":\"/t/k\",\"payload\":{\"a\":1}}", ErrorCode.BAD_REQUEST, null,
                "payload : object (expected: a string or null");
        assertRefused("{\"op\":\"publish\",\"endpoint\":\"/t/k\",\"payloadBase64\":\"!!\"}", ErrorCode.BAD_REQUEST,
                null, "payloadBase64 is not base64");
        assertRefused("{\"op\":\"ack\"}", ErrorCode.BAD_REQUEST, null, "tag is required");
        assertRefused("{\"op\":\"ack\",\"tag\":0}", ErrorCode.BAD_REQUEST, null, "tag : 0 (expected: >= 1)");
        assertRefused("{\"op\":\"ack\",\"tag\":\"7\"}", ErrorCode.BAD_REQUEST, null, "tag : \"7\" (expected: an integer)");
        assertRefused("{\"op\":\"nack\",\"tag\":1,\"delayMs\":-1}", ErrorCode.BAD_REQUEST, null, "delayMs : -1");
        assertRefused("{\"op\":\"ack\",\"id\":\"" + "i".repeat(257) + "\",\"tag\":1}", ErrorCode.BAD_REQUEST, null,
                "id has 257 characters");
    }

    @Test
    void payloadIsTextWhenUtf8AndBase64Otherwise() {
        assertEquals("ü€", Payload.ofBytes("ü€".getBytes(StandardCharsets.UTF_8)).text());
        assertNull(Payload.ofBytes(new byte[]{(byte) 0xc3}).text());
        assertTrue(Payload.none().isNull());
    }

    private static ClientCommand decode(String text) {
        return JsonCodec.decodeCommand(text);
    }

    private static void assertRefused(String text, ErrorCode code, String id, String expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> JsonCodec.decodeCommand(text));
        assertEquals(code, e.code(), e::getMessage);
        assertEquals(id, e.requestId());
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
