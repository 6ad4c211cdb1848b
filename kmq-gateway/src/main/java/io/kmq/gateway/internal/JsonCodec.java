package io.kmq.gateway.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmq.gateway.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Encodes and decodes the JSON text frames of protocol version 1, both directions, as specified in
 * {@code docs/protocol.md}: the gateway decodes {@link ClientCommand}s and encodes {@link ServerMessage}s, the client
 * SDK the reverse. Decoding is strict about the fields it knows (type, range, duplicates) and ignores unknown fields,
 * so that later versions can add optional ones. Field order of encoded frames is fixed (pinned by golden tests).
 */
public final class JsonCodec {

    /** The longest request id accepted, in characters. */
    public static final int MAX_ID_LENGTH = 256;
    /** The longest group name accepted, in characters (Kafka's limit for group ids in practice). */
    public static final int MAX_GROUP_LENGTH = 249;
    /** The longest nack delay accepted: 7 days. */
    public static final Duration MAX_NACK_DELAY = Duration.ofDays(7);

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonCodec() {
    }

    // ---------------------------------------------------------------- client -> gateway

    /**
     * Decodes a request from the UTF-8 text of a frame.
     *
     * @throws ProtocolException {@link ErrorCode#BAD_JSON}, {@link ErrorCode#UNKNOWN_OP}, {@link ErrorCode#BAD_REQUEST}
     *                           or {@link ErrorCode#INVALID_ENDPOINT}, carrying the request id when one was readable
     */
    public static ClientCommand decodeCommand(byte[] utf8) {
        JsonNode root = parseObject(utf8);
        String id = requestId(root);
        try {
            return decodeCommand(root, id);
        } catch (ProtocolException e) {
            throw e.withRequestId(id);
        }
    }

    /** Decodes a request from the text of a frame; see {@link #decodeCommand(byte[])}. */
    public static ClientCommand decodeCommand(String text) {
        return decodeCommand(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ClientCommand decodeCommand(JsonNode root, String id) {
        String op = requiredText(root, "op");
        return switch (op) {
            case "subscribe" -> decodeSubscribe(root, id);
            case "unsubscribe" -> new ClientCommand.Unsubscribe(id, Endpoint.parse(requiredText(root, "endpoint")),
                    optionalGroup(root));
            case "publish" -> decodePublish(root, id);
            case "ack" -> new ClientCommand.Ack(id, tag(root));
            case "nack" -> new ClientCommand.Nack(id, tag(root), nackDelay(root));
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_OP, "op : " + abbreviate(op)
                    + " (expected: subscribe, unsubscribe, publish, ack or nack)");
        };
    }

    private static ClientCommand decodeSubscribe(JsonNode root, String id) {
        Endpoint endpoint = Endpoint.parse(requiredText(root, "endpoint"));
        String group = optionalGroup(root);
        if (group != null) {
            if (endpoint.kind() != Endpoint.Kind.TOPIC) {
                throw new ProtocolException(ErrorCode.INVALID_ENDPOINT, "endpoint : " + endpoint
                        + " (expected: /" + endpoint.topic() + " for a queue subscription with a group)");
            }
            rejectField(root, "from", "applies to fan-out subscriptions only");
            rejectField(root, "resume", "applies to fan-out subscriptions only");
            long prefetch = optionalLong(root, "prefetch", 1);
            if (prefetch < 1 || prefetch > Integer.MAX_VALUE) {
                throw badRequest("prefetch : " + prefetch + " (expected: >= 1)");
            }
            return new ClientCommand.SubscribeQueue(id, endpoint, group, (int) prefetch);
        }
        if (endpoint.kind() == Endpoint.Kind.TOPIC) {
            throw new ProtocolException(ErrorCode.INVALID_ENDPOINT, "endpoint : " + endpoint + " (expected: "
                    + endpoint + "/<key> or " + endpoint + "/* for fan-out; " + endpoint + " needs a group)");
        }
        rejectField(root, "prefetch", "applies to queue subscriptions (with a group) only");
        String from = optionalText(root, "from");
        ClientCommand.From start;
        if (from == null || from.equals("new")) {
            start = ClientCommand.From.NEW;
        } else if (from.equals("last")) {
            start = ClientCommand.From.LAST;
        } else {
            throw badRequest("from : " + abbreviate(from) + " (expected: new or last)");
        }
        return new ClientCommand.SubscribeFanout(id, endpoint, start, optionalText(root, "resume"));
    }

    private static ClientCommand decodePublish(JsonNode root, String id) {
        Endpoint endpoint = Endpoint.parse(requiredText(root, "endpoint"));
        if (endpoint.kind() == Endpoint.Kind.ALL_KEYS) {
            throw new ProtocolException(ErrorCode.INVALID_ENDPOINT, "endpoint : " + endpoint
                    + " (expected: /t/k, or /t for a record without key; cannot publish to every key)");
        }
        boolean hasText = root.has("payload");
        boolean hasBase64 = root.has("payloadBase64");
        if (hasText == hasBase64) {
            throw badRequest("exactly one of payload and payloadBase64 is required (payload null for no value)");
        }
        Payload payload;
        if (hasText) {
            JsonNode node = root.get("payload");
            if (!node.isNull() && !node.isTextual()) {
                throw badRequest("payload : " + node.getNodeType().name().toLowerCase(Locale.ROOT)
                        + " (expected: a string or null; encode JSON documents as strings)");
            }
            payload = Payload.ofText(node.isNull() ? null : node.textValue());
        } else {
            try {
                payload = Payload.ofBase64(requiredText(root, "payloadBase64"));
            } catch (IllegalArgumentException e) {
                throw badRequest("payloadBase64 is not base64: " + e.getMessage());
            }
        }
        return new ClientCommand.Publish(id, endpoint, payload);
    }

    private static long tag(JsonNode root) {
        if (!root.has("tag")) {
            throw badRequest("tag is required");
        }
        long tag = optionalLong(root, "tag", 0);
        if (tag < 1) {
            throw badRequest("tag : " + tag + " (expected: >= 1)");
        }
        return tag;
    }

    private static Duration nackDelay(JsonNode root) {
        long delayMs = optionalLong(root, "delayMs", 0);
        if (delayMs < 0 || delayMs > MAX_NACK_DELAY.toMillis()) {
            throw badRequest("delayMs : " + delayMs + " (expected: 0.." + MAX_NACK_DELAY.toMillis() + ")");
        }
        return Duration.ofMillis(delayMs);
    }

    /** Encodes a request (client SDK side). */
    public static String encodeCommand(ClientCommand command) {
        return write(generator -> {
            generator.writeStartObject();
            if (command instanceof ClientCommand.SubscribeFanout c) {
                op(generator, "subscribe", c.id());
                generator.writeStringField("endpoint", c.endpoint().toString());
                if (c.from() == ClientCommand.From.LAST) {
                    generator.writeStringField("from", "last");
                }
                writeOptional(generator, "resume", c.resume());
            } else if (command instanceof ClientCommand.SubscribeQueue c) {
                op(generator, "subscribe", c.id());
                generator.writeStringField("endpoint", c.endpoint().toString());
                generator.writeStringField("group", c.group());
                generator.writeNumberField("prefetch", c.prefetch());
            } else if (command instanceof ClientCommand.Unsubscribe c) {
                op(generator, "unsubscribe", c.id());
                generator.writeStringField("endpoint", c.endpoint().toString());
                writeOptional(generator, "group", c.group());
            } else if (command instanceof ClientCommand.Publish c) {
                op(generator, "publish", c.id());
                generator.writeStringField("endpoint", c.endpoint().toString());
                writePayload(generator, c.payload());
            } else if (command instanceof ClientCommand.Ack c) {
                op(generator, "ack", c.id());
                generator.writeNumberField("tag", c.tag());
            } else if (command instanceof ClientCommand.Nack c) {
                op(generator, "nack", c.id());
                generator.writeNumberField("tag", c.tag());
                if (!c.delay().isZero()) {
                    generator.writeNumberField("delayMs", c.delay().toMillis());
                }
            }
            generator.writeEndObject();
        });
    }

    // ---------------------------------------------------------------- gateway -> client

    /** Encodes a frame of the gateway as UTF-8 JSON into {@code out}. */
    public static void encodeMessage(ServerMessage message, OutputStream out) throws IOException {
        try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            writeMessage(generator, message);
        }
    }

    /** Encodes a frame of the gateway as text. */
    public static String encodeMessage(ServerMessage message) {
        return write(generator -> writeMessage(generator, message));
    }

    private static void writeMessage(JsonGenerator g, ServerMessage message) throws IOException {
        g.writeStartObject();
        if (message instanceof ServerMessage.Message m) {
            g.writeStringField("op", "message");
            g.writeStringField("subscription", m.subscription());
            g.writeStringField("endpoint", m.endpoint());
            writePayload(g, m.payload());
            g.writeNumberField("timestamp", m.timestamp());
            g.writeStringField("token", m.token());
            if (m.conflated()) {
                g.writeBooleanField("conflated", true);
            }
        } else if (message instanceof ServerMessage.Delivery d) {
            g.writeStringField("op", "delivery");
            g.writeStringField("subscription", d.subscription());
            g.writeStringField("group", d.group());
            g.writeNumberField("tag", d.tag());
            g.writeStringField("endpoint", d.endpoint());
            writePayload(g, d.payload());
            g.writeNumberField("timestamp", d.timestamp());
            g.writeNumberField("redeliveries", d.redeliveries());
        } else if (message instanceof ServerMessage.PublishAck a) {
            op(g, "publish-ack", a.id());
            g.writeStringField("endpoint", a.endpoint());
            g.writeNumberField("partition", a.partition());
            g.writeNumberField("offset", a.offset());
            g.writeNumberField("timestamp", a.timestamp());
        } else if (message instanceof ServerMessage.Subscribed s) {
            op(g, "subscribed", s.id());
            g.writeStringField("endpoint", s.endpoint());
            writeOptional(g, "group", s.group());
            writeOptional(g, "token", s.token());
        } else if (message instanceof ServerMessage.Unsubscribed u) {
            op(g, "unsubscribed", u.id());
            g.writeStringField("endpoint", u.endpoint());
            writeOptional(g, "group", u.group());
        } else if (message instanceof ServerMessage.Gap gap) {
            g.writeStringField("op", "gap");
            g.writeStringField("subscription", gap.subscription());
            g.writeNumberField("missed", gap.missed());
            g.writeStringField("reason", gap.reason());
            g.writeStringField("token", gap.token());
        } else if (message instanceof ServerMessage.ErrorReply e) {
            op(g, "error", e.id());
            g.writeStringField("code", e.code().name());
            g.writeStringField("message", e.message());
        } else if (message instanceof ServerMessage.Welcome w) {
            g.writeStringField("op", "welcome");
            g.writeNumberField("v", w.version());
            g.writeStringField("gateway", w.gateway());
            g.writeNumberField("maxFrameBytes", w.maxFrameBytes());
        }
        g.writeEndObject();
    }

    /**
     * Decodes a frame of the gateway (client SDK side).
     *
     * @throws ProtocolException if the frame is not a valid version-1 frame
     */
    public static ServerMessage decodeMessage(String text) {
        JsonNode root = parseObject(text.getBytes(StandardCharsets.UTF_8));
        String op = requiredText(root, "op");
        String id = optionalText(root, "id");
        return switch (op) {
            case "message" -> new ServerMessage.Message(requiredText(root, "subscription"),
                    requiredText(root, "endpoint"), payload(root), optionalLong(root, "timestamp", -1),
                    requiredText(root, "token"), root.path("conflated").asBoolean(false));
            case "delivery" -> new ServerMessage.Delivery(requiredText(root, "subscription"),
                    requiredText(root, "group"), optionalLong(root, "tag", 0), requiredText(root, "endpoint"),
                    payload(root), optionalLong(root, "timestamp", -1), (int) optionalLong(root, "redeliveries", 0));
            case "publish-ack" -> new ServerMessage.PublishAck(id, requiredText(root, "endpoint"),
                    (int) optionalLong(root, "partition", -1), optionalLong(root, "offset", -1),
                    optionalLong(root, "timestamp", -1));
            case "subscribed" -> new ServerMessage.Subscribed(id, requiredText(root, "endpoint"),
                    optionalText(root, "group"), optionalText(root, "token"));
            case "unsubscribed" -> new ServerMessage.Unsubscribed(id, requiredText(root, "endpoint"),
                    optionalText(root, "group"));
            case "gap" -> new ServerMessage.Gap(requiredText(root, "subscription"), optionalLong(root, "missed", 0),
                    requiredText(root, "reason"), requiredText(root, "token"));
            case "error" -> new ServerMessage.ErrorReply(id, errorCode(requiredText(root, "code")),
                    requiredText(root, "message"));
            case "welcome" -> new ServerMessage.Welcome((int) optionalLong(root, "v", 0),
                    requiredText(root, "gateway"), (int) optionalLong(root, "maxFrameBytes", 0));
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_OP, "op : " + abbreviate(op));
        };
    }

    private static ErrorCode errorCode(String code) {
        try {
            return ErrorCode.valueOf(code);
        } catch (IllegalArgumentException e) {
            return ErrorCode.INTERNAL; // a code of a later version: the message still says what happened
        }
    }

    private static Payload payload(JsonNode root) {
        JsonNode base64 = root.get("payloadBase64");
        if (base64 != null && base64.isTextual()) {
            return Payload.ofBase64(base64.textValue());
        }
        JsonNode text = root.get("payload");
        return text == null || text.isNull() ? Payload.none() : Payload.ofText(text.asText());
    }

    // ---------------------------------------------------------------- shared

    private static void writePayload(JsonGenerator g, Payload payload) throws IOException {
        if (payload.isNull()) {
            g.writeNullField("payload");
        } else if (payload.text() != null) {
            g.writeStringField("payload", payload.text());
        } else {
            g.writeStringField("payloadBase64", payload.base64());
        }
    }

    private static void op(JsonGenerator g, String op, String id) throws IOException {
        g.writeStringField("op", op);
        writeOptional(g, "id", id);
    }

    private static void writeOptional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static JsonNode parseObject(byte[] utf8) {
        JsonNode root;
        try {
            root = MAPPER.readTree(utf8);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "malformed JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "expected a JSON object, got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().name()
                    .toLowerCase(Locale.ROOT)));
        }
        return root;
    }

    private static String requestId(JsonNode root) {
        JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual()) {
            throw badRequest("id : " + id.getNodeType().name().toLowerCase(Locale.ROOT) + " (expected: a string)");
        }
        if (id.textValue().length() > MAX_ID_LENGTH) {
            throw badRequest("id has " + id.textValue().length() + " characters (expected: <= " + MAX_ID_LENGTH + ")");
        }
        return id.textValue();
    }

    private static String optionalGroup(JsonNode root) {
        String group = optionalText(root, "group");
        if (group != null && (group.isEmpty() || group.length() > MAX_GROUP_LENGTH)) {
            throw badRequest("group has " + group.length() + " characters (expected: 1.." + MAX_GROUP_LENGTH + ")");
        }
        return group;
    }

    private static String requiredText(JsonNode root, String field) {
        String value = optionalText(root, field);
        if (value == null) {
            throw badRequest(field + " is required");
        }
        return value;
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw badRequest(field + " : " + node.getNodeType().name().toLowerCase(Locale.ROOT)
                    + " (expected: a string)");
        }
        return node.textValue();
    }

    private static long optionalLong(JsonNode root, String field, long defaultValue) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw badRequest(field + " : " + abbreviate(node.toString()) + " (expected: an integer)");
        }
        return node.longValue();
    }

    private static void rejectField(JsonNode root, String field, String why) {
        if (root.has(field)) {
            throw badRequest(field + " " + why);
        }
    }

    private static ProtocolException badRequest(String message) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    private interface Writer {
        void write(JsonGenerator generator) throws IOException;
    }

    private static String write(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            writer.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode JSON", e); // in-memory: does not happen
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
