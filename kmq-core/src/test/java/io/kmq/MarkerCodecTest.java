package io.kmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MarkerCodecTest {

    private static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replace(" ", ""));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    @Test
    void keyOfTheOriginalKmqIsPartitionThenOffsetBigEndian() {
        byte[] golden = hex("00000001 000000000000002A");
        assertArrayEquals(golden, MarkerCodec.encodeKey(new MarkerKey(1, 42)));
        assertEquals(new MarkerKey(1, 42), MarkerCodec.decodeKey(golden));
    }

    @Test
    void tickKeyCarriesOffsetMinusOne() {
        byte[] golden = hex("00000002 FFFFFFFFFFFFFFFF");
        assertArrayEquals(golden, MarkerCodec.encodeKey(MarkerKey.tick(2)));
        assertEquals(MarkerKey.tick(2), MarkerCodec.decodeKey(golden));
    }

    @Test
    void largePartitionAndOffsetRoundTrip() {
        MarkerKey key = new MarkerKey(Integer.MAX_VALUE, Long.MAX_VALUE);
        assertEquals("7FFFFFFF7FFFFFFFFFFFFFFF", hex(MarkerCodec.encodeKey(key)));
        assertEquals(key, MarkerCodec.decodeKey(MarkerCodec.encodeKey(key)));
    }

    static Stream<Arguments> goldenValues() {
        return Stream.of(
                Arguments.of(new Marker.End(), "00"),
                Arguments.of(new Marker.Start(Duration.ofMillis(30_000)), "01 0000000000007530"),
                Arguments.of(new Marker.Release(Duration.ZERO), "02 0000000000000000"),
                Arguments.of(new Marker.Release(Duration.ofMillis(1_500)), "02 00000000000005DC"),
                Arguments.of(new Marker.Reject("boom"), "03 0004 626F6F6D"),
                Arguments.of(new Marker.Reject(""), "03 0000"),
                Arguments.of(new Marker.Reject("é€"), "03 0005 C3A9 E282AC"),
                Arguments.of(new Marker.Extend(Duration.ofMinutes(1)), "04 000000000000EA60"),
                Arguments.of(new Marker.Tick(), "05"),
                Arguments.of(new Marker.StartRange(Duration.ofMillis(30_000), 500), "06 0000000000007530 000001F4"),
                Arguments.of(new Marker.StartRange(Duration.ofMillis(1), 1), "06 0000000000000001 00000001"),
                Arguments.of(new Marker.EndRange(1), "07 00000001"),
                Arguments.of(new Marker.EndRange(MarkerCodec.MAX_RANGE_COUNT), "07 00010000"));
    }

    @ParameterizedTest
    @MethodSource("goldenValues")
    void valueEncodesToGoldenBytesAndDecodesBack(Marker marker, String golden) {
        assertEquals(golden.replace(" ", ""), hex(MarkerCodec.encodeValue(marker)));
        assertEquals(marker, MarkerCodec.decodeValue(hex(golden)));
    }

    @Test
    void typeBytesMatchTheWireFormat() {
        assertEquals(MarkerCodec.TYPE_END, new Marker.End().type());
        assertEquals(MarkerCodec.TYPE_START, new Marker.Start(Duration.ofSeconds(1)).type());
        assertEquals(MarkerCodec.TYPE_RELEASE, new Marker.Release(Duration.ZERO).type());
        assertEquals(MarkerCodec.TYPE_REJECT, new Marker.Reject("x").type());
        assertEquals(MarkerCodec.TYPE_EXTEND, new Marker.Extend(Duration.ofSeconds(1)).type());
        assertEquals(MarkerCodec.TYPE_TICK, new Marker.Tick().type());
        assertEquals(MarkerCodec.TYPE_START_RANGE, new Marker.StartRange(Duration.ofSeconds(1), 2).type());
        assertEquals(MarkerCodec.TYPE_END_RANGE, new Marker.EndRange(2).type());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, MarkerCodec.MAX_RANGE_COUNT + 1, Integer.MIN_VALUE})
    void rangeCountsOutsideTheLimitsAreRejectedOnConstruction(int count) {
        IllegalArgumentException start = assertThrows(IllegalArgumentException.class,
                () -> new Marker.StartRange(Duration.ofSeconds(1), count));
        assertTrue(start.getMessage().startsWith("count : " + count), start.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Marker.EndRange(count));
    }

    @Test
    void rejectReasonOfExactlyMaxBytesRoundTrips() {
        Marker.Reject reject = new Marker.Reject("r".repeat(MarkerCodec.MAX_REASON_BYTES));
        byte[] encoded = MarkerCodec.encodeValue(reject);
        assertEquals(3 + MarkerCodec.MAX_REASON_BYTES, encoded.length);
        assertEquals(reject, MarkerCodec.decodeValue(encoded));
    }

    @Test
    void encodingARejectReasonOverMaxBytesFails() {
        Marker.Reject reject = new Marker.Reject("é".repeat(MarkerCodec.MAX_REASON_BYTES / 2 + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MarkerCodec.encodeValue(reject));
        assertTrue(e.getMessage().contains("1026 bytes"), e.getMessage());
    }

    @Test
    void subMillisecondDurationsRoundUpSoThatTheyStayPositive() {
        byte[] encoded = MarkerCodec.encodeValue(new Marker.Start(Duration.ofNanos(1)));
        assertEquals("010000000000000001", hex(encoded));
        assertEquals(new Marker.Start(Duration.ofMillis(1)), MarkerCodec.decodeValue(encoded));
        assertEquals(new Marker.Extend(Duration.ofMillis(3)),
                MarkerCodec.decodeValue(MarkerCodec.encodeValue(new Marker.Extend(Duration.ofNanos(2_001_000)))));
    }

    @Test
    void hugeDurationsSaturateInsteadOfOverflowing() {
        byte[] encoded = MarkerCodec.encodeValue(new Marker.Extend(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals("047FFFFFFFFFFFFFFF", hex(encoded));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "0000000100000000000000", "00000001000000000000002A00",
            "FFFFFFFF 000000000000002A", "00000001 FFFFFFFFFFFFFFFE", "80000000 0000000000000000"})
    void malformedKeysAreRejected(String digits) {
        assertThrows(MalformedMarkerException.class, () -> MarkerCodec.decodeKey(hex(digits)));
    }

    @Test
    void nullKeyIsRejected() {
        MalformedMarkerException e = assertThrows(MalformedMarkerException.class, () -> MarkerCodec.decodeKey(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                                  // empty
            "08", "7F", "FF", "80",              // unknown type bytes
            "06", "06 0000000000007530",         // START_RANGE without a count
            "06 0000000000007530 000001F4 00",   // START_RANGE too long
            "06 0000000000000000 00000001",      // START_RANGE of 0 ms
            "06 0000000000007530 00000000",      // START_RANGE covering nothing
            "06 0000000000007530 FFFFFFFF",      // START_RANGE with a negative count
            "06 0000000000007530 00010001",      // START_RANGE over the most offsets
            "07", "07 000001", "07 0000000100",  // END_RANGE of the wrong length
            "07 00000000", "07 80000000",        // END_RANGE covering nothing, negative
            "0000",                              // END with a payload
            "0500",                              // TICK with a payload
            "01", "01 00000000000075", "01 000000000000753000", // START too short, too long
            "01 0000000000000000",               // START of 0 ms
            "01 FFFFFFFFFFFFFFFF",               // START of -1 ms
            "01 8000000000000000",               // START of Long.MIN_VALUE ms
            "02 FFFFFFFFFFFFFFFF",               // RELEASE with a negative delay
            "02 00000000",                       // RELEASE too short
            "04 0000000000000000",               // EXTEND of 0 ms
            "04 FFFFFFFFFFFFFF00",               // EXTEND negative
            "04",                                // EXTEND without payload
            "03", "0300",                        // REJECT without a full length
            "03 0005 626F6F6D",                  // REJECT shorter than its length
            "03 0003 626F6F6D",                  // REJECT longer than its length
            "03 FFFF 00",                        // REJECT with a huge length
            "03 0002 C328",                      // REJECT with invalid UTF-8
            "03 0001 FF",                        // REJECT with an invalid UTF-8 byte
            "03 0003 EDA080",                    // REJECT with an encoded lone surrogate
    })
    void malformedValuesAreRejectedNeverWithAnIndexError(String digits) {
        assertThrows(MalformedMarkerException.class, () -> MarkerCodec.decodeValue(hex(digits)));
    }

    @Test
    void nullValueIsRejected() {
        MalformedMarkerException e = assertThrows(MalformedMarkerException.class,
                () -> MarkerCodec.decodeValue(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void rejectReasonOverMaxBytesIsRejectedOnDecode() {
        int length = MarkerCodec.MAX_REASON_BYTES + 1;
        byte[] value = new byte[3 + length];
        value[0] = MarkerCodec.TYPE_REJECT;
        value[1] = (byte) (length >>> 8);
        value[2] = (byte) length;
        java.util.Arrays.fill(value, 3, value.length, (byte) 'r');
        MalformedMarkerException e = assertThrows(MalformedMarkerException.class,
                () -> MarkerCodec.decodeValue(value));
        assertTrue(e.getMessage().contains("1025"), e.getMessage());
    }

    @Test
    void unknownTypeMessageNamesTheTypeAndTheExpectedRange() {
        MalformedMarkerException e = assertThrows(MalformedMarkerException.class,
                () -> MarkerCodec.decodeValue(new byte[] {9}));
        assertEquals("marker value has unknown type byte 9 (expected: 0 to 7)", e.getMessage());
    }

    @Test
    void everyMarkerRoundTrips() {
        for (Marker marker : new Marker[] {new Marker.End(), new Marker.Start(Duration.ofHours(1)),
                new Marker.Release(Duration.ofSeconds(5)), new Marker.Reject("timeout: \u00fc\ud83d\ude00"),
                new Marker.Extend(Duration.ofDays(1)), new Marker.Tick(),
                new Marker.StartRange(Duration.ofMinutes(5), 42), new Marker.EndRange(7)}) {
            assertEquals(marker, MarkerCodec.decodeValue(MarkerCodec.encodeValue(marker)));
        }
        assertEquals(4, "\ud83d\ude00".getBytes(StandardCharsets.UTF_8).length);
    }
}
