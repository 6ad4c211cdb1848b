package io.kmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MarkerKeyTest {

    @Test
    void keysOfManyPartitionsAtTheSameOffsetsHaveDistinctHashCodes() {
        int partitions = 32;
        int offsets = 100_000;
        int[] hashes = new int[partitions * offsets];
        int i = 0;
        for (int partition = 0; partition < partitions; partition++) {
            for (long offset = 0; offset < offsets; offset++) {
                hashes[i++] = new MarkerKey(partition, offset).hashCode();
            }
        }
        Arrays.sort(hashes);
        int distinct = 1;
        for (int j = 1; j < hashes.length; j++) {
            if (hashes[j] != hashes[j - 1]) {
                distinct++;
            }
        }
        assertEquals(hashes.length, distinct, "hash codes shared between keys");
    }

    @Test
    void equalKeysHaveEqualHashCodesAndOrderByPartitionThenOffset() {
        assertEquals(new MarkerKey(3, 7), new MarkerKey(3, 7));
        assertEquals(new MarkerKey(3, 7).hashCode(), new MarkerKey(3, 7).hashCode());
        assertEquals(-1, Integer.signum(new MarkerKey(0, 99).compareTo(new MarkerKey(1, 0))));
        assertEquals(1, Integer.signum(new MarkerKey(1, 5).compareTo(new MarkerKey(1, 4))));
        assertEquals("2@-1", MarkerKey.tick(2).toString());
    }

    @Test
    void rejectsANegativePartitionOrAnOffsetBelowTheTickOffset() {
        assertThrows(IllegalArgumentException.class, () -> new MarkerKey(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new MarkerKey(0, -2));
    }
}
