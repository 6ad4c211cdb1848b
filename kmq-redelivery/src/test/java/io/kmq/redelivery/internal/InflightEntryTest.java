package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InflightEntryTest {

    @Test
    void goldenBytesOfATimeoutEntry() {
        InflightEntry entry = InflightEntry.started(2, 0x0102);
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0}, entry.encode());
        assertEquals(entry, InflightEntry.decode(entry.encode()));
    }

    @Test
    void rejectEntriesCarryTheReason() {
        InflightEntry entry = InflightEntry.started(5, 100).rejected(50, "zła wiadomość");
        InflightEntry decoded = InflightEntry.decode(entry.encode());
        assertEquals(PendingAction.REJECT, decoded.action());
        assertEquals("zła wiadomość", decoded.reason());
        assertEquals(50, decoded.deadline());
        assertEquals(5, decoded.firstStart());
    }

    @Test
    void releaseEntriesRoundTrip() {
        InflightEntry entry = InflightEntry.started(5, 100).due(700, PendingAction.RELEASE);
        assertEquals(entry, InflightEntry.decode(entry.encode()));
    }

    @Test
    void corruptBytesAreRejectedWithWhatWasExpected() {
        assertTrue(assertThrows(IllegalStateException.class, () -> InflightEntry.decode(new byte[] {1, 2}))
                .getMessage().contains("expected: version 1, at least 18 bytes"));
        byte[] unknownAction = InflightEntry.started(0, 0).encode();
        unknownAction[17] = 9;
        assertThrows(IllegalStateException.class, () -> InflightEntry.decode(unknownAction));
        byte[] truncatedReason = InflightEntry.started(0, 0).rejected(0, "abc").encode();
        assertThrows(IllegalStateException.class, () -> InflightEntry.decode(
                java.util.Arrays.copyOf(truncatedReason, truncatedReason.length - 1)));
    }
}
