package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReasonsTest {

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void shortReasonIsKeptAsIs() {
        String reason = "invalid order";
        assertSame(reason, Reasons.forRejectMarker(reason));
        String exact = "x".repeat(MarkerCodec.MAX_REASON_BYTES);
        assertSame(exact, Reasons.forRejectMarker(exact));
    }

    @Test
    void asciiReasonIsCutAtTheLimit() {
        assertEquals("x".repeat(MarkerCodec.MAX_REASON_BYTES),
                Reasons.forRejectMarker("x".repeat(MarkerCodec.MAX_REASON_BYTES + 500)));
    }

    @Test
    void multiByteCharacterIsNeverSplit() {
        String truncated = Reasons.truncateUtf8("a€€€", 6); // 1 + 3 + 3 + 3 bytes
        assertEquals("a€", truncated);
        assertEquals(4, utf8Length(truncated));
    }

    @Test
    void surrogatePairIsNeverSplit() {
        String smiley = "\ud83d\ude00"; // 4 bytes in UTF-8
        assertEquals("ab", Reasons.truncateUtf8("ab" + smiley, 5));
        assertEquals("ab" + smiley, Reasons.truncateUtf8("ab" + smiley + "c", 6));
    }

    @Test
    void longReasonOfMixedCharactersFitsAndEncodes() {
        String reason = ("é€\ud83d\ude00x").repeat(400);
        String truncated = Reasons.forRejectMarker(reason);
        int length = utf8Length(truncated);
        assertEquals(true, length <= MarkerCodec.MAX_REASON_BYTES && length > MarkerCodec.MAX_REASON_BYTES - 4,
                "length " + length);
        assertEquals(true, reason.startsWith(truncated));
        Marker.Reject reject = new Marker.Reject(truncated);
        assertEquals(reject, MarkerCodec.decodeValue(MarkerCodec.encodeValue(reject)));
    }

    @Test
    void unpairedSurrogatesCountAsOneByteEach() {
        String lone = "\ud800".repeat(MarkerCodec.MAX_REASON_BYTES + 10);
        String truncated = Reasons.forRejectMarker(lone);
        assertEquals(MarkerCodec.MAX_REASON_BYTES, truncated.length());
        assertEquals(MarkerCodec.MAX_REASON_BYTES, utf8Length(truncated));
        MarkerCodec.encodeValue(new Marker.Reject(truncated)); // does not throw
    }
}
