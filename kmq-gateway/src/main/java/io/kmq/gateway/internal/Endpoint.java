package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A parsed endpoint (see {@code docs/protocol.md}): {@code /t/k} is key {@code k} of topic {@code t}, {@code /t/*}
 * every key of {@code t}, and {@code /t} the topic itself (queue mode, or a publish without key). The key is the rest
 * of the text after the second slash and may itself contain slashes.
 *
 * @param topic the Kafka topic
 * @param key   the key for {@link Kind#KEY}, else null
 * @param kind  which of the three forms
 */
public record Endpoint(String topic, String key, Kind kind) {

    /** The key that stands for every key of the topic. */
    public static final String ALL_KEYS = "*";
    /** The longest key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** The longest topic name Kafka accepts. */
    public static final int MAX_TOPIC_LENGTH = 249;

    /** The three forms of an endpoint. */
    public enum Kind {
        /** {@code /t/k}: one key. */
        KEY,
        /** {@code /t/*}: every key, including records without key. */
        ALL_KEYS,
        /** {@code /t}: the topic itself. */
        TOPIC
    }

    /** Checks the invariants; {@link #parse} is the usual way in. */
    public Endpoint {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.KEY) != (key != null)) {
            throw new IllegalArgumentException("key : " + key + " (expected: non-null exactly for kind KEY)");
        }
    }

    /** The endpoint of key {@code key} of {@code topic}; a null key gives the topic endpoint {@code /t}. */
    public static Endpoint ofRecord(String topic, String key) {
        return key == null ? new Endpoint(topic, null, Kind.TOPIC) : new Endpoint(topic, key, Kind.KEY);
    }

    /**
     * Parses and validates an endpoint.
     *
     * @throws ProtocolException with {@link ErrorCode#INVALID_ENDPOINT} naming what is wrong
     */
    public static Endpoint parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        if (text.charAt(0) != '/') {
            throw invalid(text, "it must start with '/'");
        }
        int slash = text.indexOf('/', 1);
        String topic = slash < 0 ? text.substring(1) : text.substring(1, slash);
        checkTopic(text, topic);
        if (slash < 0) {
            return new Endpoint(topic, null, Kind.TOPIC);
        }
        String key = text.substring(slash + 1);
        if (key.isEmpty()) {
            throw invalid(text, "the key is empty (use /" + topic + "/* for every key, /" + topic + " for the topic)");
        }
        if (ALL_KEYS.equals(key)) {
            return new Endpoint(topic, null, Kind.ALL_KEYS);
        }
        int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes > MAX_KEY_BYTES) {
            throw invalid(text.substring(0, slash + 1) + "...", "the key has " + keyBytes
                    + " UTF-8 bytes (expected: <= " + MAX_KEY_BYTES + ")");
        }
        return new Endpoint(topic, key, Kind.KEY);
    }

    private static void checkTopic(String text, String topic) {
        if (topic.isEmpty()) {
            throw invalid(text, "the topic is empty");
        }
        if (topic.length() > MAX_TOPIC_LENGTH) {
            throw invalid(text.substring(0, 40) + "...", "the topic has " + topic.length()
                    + " characters (expected: <= " + MAX_TOPIC_LENGTH + ")");
        }
        if (topic.equals(".") || topic.equals("..")) {
            throw invalid(text, "'" + topic + "' is not a valid topic name");
        }
        if (topic.startsWith("__")) {
            throw invalid(text, "topics starting with '__' are internal to Kafka and kmq");
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                throw invalid(text, "the topic contains '" + c + "' (expected: ASCII letters, digits, '.', '_', '-')");
            }
        }
    }

    private static ProtocolException invalid(String text, String why) {
        return new ProtocolException(ErrorCode.INVALID_ENDPOINT, "endpoint : " + text + " (" + why + ")");
    }

    /** Whether a record with key {@code recordKey} (null for none) of this endpoint's topic belongs to it. */
    public boolean matches(String recordKey) {
        return switch (kind) {
            case KEY -> key.equals(recordKey);
            case ALL_KEYS, TOPIC -> true;
        };
    }

    /** The text form: {@code /t/k}, {@code /t/*} or {@code /t}. */
    @Override
    public String toString() {
        return switch (kind) {
            case KEY -> "/" + topic + "/" + key;
            case ALL_KEYS -> "/" + topic + "/" + ALL_KEYS;
            case TOPIC -> "/" + topic;
        };
    }
}
