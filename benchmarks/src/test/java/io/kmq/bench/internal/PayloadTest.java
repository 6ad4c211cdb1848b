package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void layoutIsSequenceThenSendTimeBigEndianThenZeroPadding() {
        byte[] payload = Payload.encode(0x0102030405060708L, 0x1112131415161718L, 20);
        assertEquals("0102030405060708" + "1112131415161718" + "00000000",
                HexFormat.of().withUpperCase().formatHex(payload));
    }

    @Test
    void roundTripsNegativeAndExtremeValues() {
        for (long value : new long[] {0, 1, -1, -8, Long.MAX_VALUE, Long.MIN_VALUE, 1_234_567_890_123L}) {
            byte[] payload = Payload.encode(value, -value, 100);
            assertEquals(100, payload.length);
            assertEquals(value, Payload.sequence(payload));
            assertEquals(-value, Payload.sendNanos(payload));
        }
    }

    @Test
    void minimalPayloadIsTheHeader() {
        byte[] golden = HexFormat.of().parseHex("FFFFFFFFFFFFFFFF" + "000000000000002A");
        assertArrayEquals(golden, Payload.encode(-1, 42, Payload.HEADER_BYTES));
    }

    @Test
    void rejectsTooSmallSizesAndShortValues() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> Payload.encode(1, 1, 15));
        assertEquals("payload size : 15 (expected: >= 16)", small.getMessage());
        IllegalArgumentException shortValue = assertThrows(IllegalArgumentException.class,
                () -> Payload.sequence(new byte[3]));
        assertTrue(shortValue.getMessage().contains("3 bytes"), shortValue.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Payload.sendNanos(null));
    }
}
