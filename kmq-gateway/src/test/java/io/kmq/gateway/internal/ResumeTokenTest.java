package io.kmq.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.gateway.ErrorCode;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Golden bytes of resume token version 1; the expected values were computed by an independent implementation. */
class ResumeTokenTest {

    @Test
    void encodesGoldenBytes() {
        assertEquals("AeveIngDAAWsAg", ResumeToken.of("prices", new long[]{0, 5, 300}).encode());
        assertEquals("01ebde2278030005ac02", hex("AeveIngDAAWsAg"));
        assertEquals("AQmnwIoB__________9_", ResumeToken.of("orders", new long[]{Long.MAX_VALUE}).encode());
        assertEquals("AeR_kEMBAA", ResumeToken.of("t", new long[]{0}).encode());
    }

    @Test
    void checksumIsCrc32c() {
        assertEquals(0xe3069283, ResumeToken.checksum("123456789"));
    }

    @Test
    void decodesGoldenText() {
        ResumeToken token = ResumeToken.decode("AeveIngDAAWsAg", "prices");
        assertEquals(3, token.partitions());
        assertArrayEquals(new long[]{0, 5, 300}, token.nextOffsets(3));
        assertArrayEquals(new long[]{Long.MAX_VALUE}, ResumeToken.decode("AQmnwIoB__________9_", "orders")
                .nextOffsets(1));
    }

    @Test
    void padsPartitionsAddedSinceWithLogStart() {
        assertArrayEquals(new long[]{0, 5, 300, 0, 0}, ResumeToken.decode("AeveIngDAAWsAg", "prices").nextOffsets(5));
        assertRefused("describes 3 partitions but the topic has 2",
                () -> ResumeToken.decode("AeveIngDAAWsAg", "prices").nextOffsets(2));
    }

    @Test
    void refusesTokensOfAnotherTopic() {
        assertRefused("another topic", () -> ResumeToken.decode("AeveIngDAAWsAg", "orders"));
    }

    @Test
    void refusesMalformedTokens() {
        assertRefused("empty", () -> ResumeToken.decode("", "prices"));
        assertRefused("not base64url", () -> ResumeToken.decode("Ae+/", "prices"));
        assertRefused("expected: >= 6", () -> ResumeToken.decode(b64("01ebde22"), "prices"));
        assertRefused("version 2", () -> ResumeToken.decode(b64("02ebde2278030005ac02"), "prices"));
        assertRefused("truncated", () -> ResumeToken.decode(b64("01ebde2278030005ac"), "prices"));
        assertRefused("truncated", () -> ResumeToken.decode(b64("01ebde2278030005"), "prices"));
        assertRefused("1 trailing byte", () -> ResumeToken.decode(b64("01ebde2278030005ac0200"), "prices"));
        assertRefused("partition count 0", () -> ResumeToken.decode(b64("01ebde227800"), "prices"));
        assertRefused("partition count 100001", () -> ResumeToken.decode(b64("01ebde2278a18d06"), "prices"));
        assertRefused("longer than 9 bytes",
                () -> ResumeToken.decode(b64("0109a7c08a01ffffffffffffffffff01"), "orders"));
        assertRefused("characters", () -> ResumeToken.decode("A".repeat(ResumeToken.MAX_TEXT_LENGTH + 1), "t"));
    }

    @Test
    void refusesInvalidPositions() {
        assertThrows(IllegalArgumentException.class, () -> ResumeToken.of("t", new long[0]));
        assertThrows(IllegalArgumentException.class, () -> ResumeToken.of("t", new long[]{-1}));
    }

    @Test
    void roundTripsLargePartitionCounts() {
        long[] next = new long[1000];
        for (int p = 0; p < next.length; p++) {
            next[p] = p * 1_000_003L;
        }
        assertArrayEquals(next, ResumeToken.decode(ResumeToken.of("big", next).encode(), "big").nextOffsets(1000));
    }

    private static void assertRefused(String expected, Runnable decode) {
        ProtocolException e = assertThrows(ProtocolException.class, decode::run);
        assertEquals(ErrorCode.INVALID_TOKEN, e.code());
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    private static String b64(String hex) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(hex));
    }

    private static String hex(String base64) {
        return HexFormat.of().formatHex(Base64.getUrlDecoder().decode(base64));
    }
}
