package io.kmq.gateway.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A record value as the protocol carries it: as JSON text ({@code "payload"}) when the bytes are valid UTF-8, else
 * base64 ({@code "payloadBase64"}); null for a record without value. Immutable; the text is decoded once.
 */
public final class Payload {

    private static final Payload NULL = new Payload(null, null);

    private final byte[] bytes;
    private final String text;

    private Payload(byte[] bytes, String text) {
        this.bytes = bytes;
        this.text = text;
    }

    /** The payload of {@code bytes} (not copied: the caller hands them over); null bytes stand for no value. */
    public static Payload ofBytes(byte[] bytes) {
        return bytes == null ? NULL : new Payload(bytes, utf8OrNull(bytes));
    }

    /** The payload of a text, as UTF-8 bytes; a null text stands for no value. */
    public static Payload ofText(String text) {
        return text == null ? NULL : new Payload(text.getBytes(StandardCharsets.UTF_8), text);
    }

    /** The payload of base64 text. @throws IllegalArgumentException if it is not base64 */
    public static Payload ofBase64(String base64) {
        return ofBytes(Base64.getDecoder().decode(base64));
    }

    /** The absent value (a Kafka record with a null value). */
    public static Payload none() {
        return NULL;
    }

    /** The bytes, or null for no value; not copied, do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    /** The bytes as text if they are valid UTF-8, else null. */
    public String text() {
        return text;
    }

    /** Whether this is the absent value. */
    public boolean isNull() {
        return bytes == null;
    }

    /** The bytes in base64 (for payloads that are not UTF-8). */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The size in bytes; 0 for no value. */
    public int size() {
        return bytes == null ? 0 : bytes.length;
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null; // not text: carried as base64
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Payload that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes == null ? "null" : text != null ? text : "base64:" + base64();
    }
}
