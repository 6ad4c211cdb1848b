package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmq.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchConsumerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final MutableClock clock = new MutableClock(Instant.EPOCH);
    /** The offsets of every synchronous commit, in order (MockConsumer forgets those of partitions revoked). */
    private final List<Map<TopicPartition, OffsetAndMetadata>> syncCommits = new ArrayList<>();
    private final MockConsumer<String, String> mock = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            syncCommits.add(Map.copyOf(offsets));
            super.commitSync(offsets);
        }
    };
    private final BatchConsumer<String, String> consumer =
            new BatchConsumer<>(mock, clock, Duration.ofMillis(100));

    private static ConsumerRecord<String, String> record(long offset) {
        return record(0, offset);
    }

    private static ConsumerRecord<String, String> record(int partition, long offset) {
        return new ConsumerRecord<>("t", partition, offset, "k", "v");
    }

    @Test
    void aCommitIsAllowedAtOnceBeforeTheFirstAndThenOncePerInterval() {
        mock.assign(List.of(P0));
        assertEquals(Duration.ZERO, consumer.untilCommitAllowed(), "before the first commit");

        consumer.commit(List.of(record(0)));
        assertEquals(Map.of(P0, new OffsetAndMetadata(1)), mock.committed(Set.of(P0)));
        assertEquals(Duration.ofMillis(100), consumer.untilCommitAllowed());

        clock.advance(Duration.ofMillis(40));
        assertEquals(Duration.ofMillis(60), consumer.untilCommitAllowed());
        consumer.commit(List.of(record(1)));
        assertEquals(Map.of(P0, new OffsetAndMetadata(1)), mock.committed(Set.of(P0)),
                "held back by the interval");

        clock.advance(Duration.ofMillis(100));
        assertEquals(Duration.ZERO, consumer.untilCommitAllowed(), "the interval has passed, never negative");
        consumer.commitIfDue();
        assertEquals(Map.of(P0, new OffsetAndMetadata(2)), mock.committed(Set.of(P0)));
    }

    @Test
    void offsetsHeldBackByTheIntervalAreCommittedWhenTheirPartitionIsRevoked() {
        consumer.subscribe("t");
        mock.rebalance(List.of(P0, P1));
        consumer.commit(List.of(record(0, 0)));
        consumer.addCommittable(List.of(record(0, 3), record(0, 4), record(1, 7)));
        assertEquals(Map.of(P0, new OffsetAndMetadata(1)), mock.committed(Set.of(P0, P1)), "held back by the interval");

        mock.rebalance(List.of(P1));

        assertEquals(List.of(Map.of(P0, new OffsetAndMetadata(5))), syncCommits,
                "the revoked partition committed at once, to after the last record added");
        clock.advance(Duration.ofMillis(100));
        consumer.commitIfDue();
        assertEquals(Map.of(P1, new OffsetAndMetadata(8)), mock.committed(Set.of(P1)));
    }
}
