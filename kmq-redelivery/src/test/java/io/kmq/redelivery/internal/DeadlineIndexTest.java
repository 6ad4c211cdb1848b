package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.MarkerKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    @Test
    void keyIsDeadlineThenPartitionThenOffsetBigEndian() {
        Bytes key = DeadlineIndex.key(0x0102030405060708L, new MarkerKey(0x0A0B0C0D, 0x1112131415161718L));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0x0B, 0x0C, 0x0D,
            0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18}, key.get());
        assertEquals(0x0102030405060708L, DeadlineIndex.deadline(key));
        assertEquals(new MarkerKey(0x0A0B0C0D, 0x1112131415161718L), DeadlineIndex.markerKey(key));
    }

    @Test
    void byteOrderIsDeadlineOrderThenKeyOrder() {
        Random random = new Random(7);
        List<long[]> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            entries.add(new long[] {random.nextLong() & Long.MAX_VALUE, random.nextInt(4), random.nextInt(1000)});
        }
        entries.sort((a, b) -> {
            int byBytes = DeadlineIndex.key(a[0], new MarkerKey((int) a[1], a[2]))
                    .compareTo(DeadlineIndex.key(b[0], new MarkerKey((int) b[1], b[2])));
            int byValue = a[0] != b[0] ? Long.compare(a[0], b[0])
                    : a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[2], b[2]);
            assertEquals(Integer.signum(byValue), Integer.signum(byBytes));
            return byBytes;
        });
    }

    @Test
    void boundsEncloseExactlyTheDeadlinesBefore() {
        Bytes last = DeadlineIndex.lastBefore(1000);
        assertTrue(DeadlineIndex.key(999, new MarkerKey(Integer.MAX_VALUE, Long.MAX_VALUE)).compareTo(last) <= 0);
        assertTrue(DeadlineIndex.key(1000, new MarkerKey(0, 0)).compareTo(last) > 0);
        assertTrue(DeadlineIndex.key(0, new MarkerKey(0, 0)).compareTo(DeadlineIndex.lowest()) >= 0);
        assertTrue(DeadlineIndex.key(1000, new MarkerKey(0, 0)).compareTo(DeadlineIndex.firstAtOrAfter(1000)) >= 0);
        assertTrue(DeadlineIndex.key(999, new MarkerKey(9, 9)).compareTo(DeadlineIndex.firstAtOrAfter(1000)) < 0);
        assertThrows(IllegalArgumentException.class, () -> DeadlineIndex.lastBefore(0));
    }

    @Test
    void negativeDeadlinesAreClampedAndSumsSaturate() {
        assertEquals(0, DeadlineIndex.deadline(DeadlineIndex.key(-5, new MarkerKey(0, 0))));
        assertEquals(Long.MAX_VALUE, DeadlineIndex.plus(Long.MAX_VALUE - 10, 100));
        assertEquals(110, DeadlineIndex.plus(10, 100));
    }

    @Test
    void keysOfTheWrongLengthAreRejected() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> DeadlineIndex.deadline(Bytes.wrap(new byte[3])));
        assertTrue(error.getMessage().contains("3 bytes (expected: 20)"), error.getMessage());
    }
}
