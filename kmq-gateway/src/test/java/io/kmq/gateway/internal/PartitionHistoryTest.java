package io.kmq.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionHistoryTest {

    @Test
    void keepsTheLastRecordsAndKnowsWhatItCovers() {
        PartitionHistory history = new PartitionHistory(3, Long.MAX_VALUE, 10);
        assertTrue(history.covers(10));
        assertFalse(history.covers(9));
        for (long offset = 10; offset < 15; offset++) {
            history.append(record(offset, "v"));
        }
        assertEquals(3, history.size());
        assertEquals(12, history.coveredFrom());
        assertEquals(List.of(12L, 13L, 14L), List.of(history.get(0).offset(), history.get(1).offset(),
                history.get(2).offset()));
        assertFalse(history.covers(11));
        assertTrue(history.covers(12));
        assertTrue(history.covers(99)); // at or past the feed: nothing to replay
    }

    @Test
    void findsTheFirstRecordAtOrAfterAnOffsetAcrossGaps() {
        PartitionHistory history = new PartitionHistory(10, Long.MAX_VALUE, 0);
        for (long offset : new long[]{0, 1, 5, 6, 9}) { // gaps: transaction markers, compaction
            history.append(record(offset, "v"));
        }
        assertEquals(0, history.indexOf(0));
        assertEquals(2, history.indexOf(2));
        assertEquals(2, history.indexOf(5));
        assertEquals(4, history.indexOf(7));
        assertEquals(5, history.indexOf(10));
    }

    @Test
    void isBoundedByBytesToo() {
        PartitionHistory history = new PartitionHistory(100, 3 * record(0, "x".repeat(100)).historyBytes(), 0);
        for (long offset = 0; offset < 10; offset++) {
            history.append(record(offset, "x".repeat(100)));
        }
        assertEquals(3, history.size());
        assertEquals(7, history.coveredFrom());
        history.append(record(10, "x".repeat(10_000))); // larger than the bound alone
        assertEquals(0, history.size());
        assertEquals(11, history.coveredFrom());
    }

    @Test
    void withoutHistoryOnlyThePositionIsCovered() {
        PartitionHistory history = new PartitionHistory(0, 0, 0);
        history.append(record(0, "v"));
        history.append(record(1, "v"));
        assertEquals(0, history.size());
        assertEquals(2, history.coveredFrom());
        history.reset(40);
        assertEquals(40, history.coveredFrom());
    }

    @Test
    void lastValuesKeepTheLatestOfEachKeyAndForgetTheLeastRecentlyUpdated() {
        LastValueCache cache = new LastValueCache(2);
        cache.update(keyed("a", 0, "a0"));
        cache.update(keyed("b", 1, "b1"));
        cache.update(keyed("a", 2, "a2"));
        cache.update(keyed("c", 3, "c3")); // evicts b, the least recently updated
        assertEquals(List.of("a2", "c3"), cache.all().stream().map(r -> r.payload().text()).toList());
        cache.update(new FeedRecord(0, 4, 4, "a", "/t/a", Payload.none())); // a tombstone removes the key
        assertEquals(List.of("c3"), cache.all().stream().map(r -> r.payload().text()).toList());
        cache.update(new FeedRecord(0, 5, 5, null, "/t", Payload.ofText("keyless")));
        assertEquals(1, cache.size());
    }

    private static FeedRecord record(long offset, String value) {
        return keyed("k", offset, value);
    }

    private static FeedRecord keyed(String key, long offset, String value) {
        return new FeedRecord(0, offset, offset, key, "/t/" + key, Payload.ofText(value));
    }
}
