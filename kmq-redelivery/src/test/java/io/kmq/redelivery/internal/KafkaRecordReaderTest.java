package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaRecordReaderTest {

    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);

    private final MockConsumer<byte[], byte[]> consumer =
            new MockConsumer<>(AutoOffsetResetStrategy.NONE.name().toLowerCase());
    private final KafkaRecordReader reader = new KafkaRecordReader(consumer, Duration.ofMillis(300));

    @Test
    void readsTheWantedOffsetsAndReportsGapsAsMissing() {
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, 10L));
        consumer.assign(List.of(PARTITION));
        for (long offset : new long[] {2, 3, 5, 9}) {
            consumer.addRecord(record(offset));
        }

        RecordReader.Result result = reader.read(PARTITION, new TreeSet<>(List.of(3L, 4L, 9L)));

        assertEquals(Set.of(3L, 9L), result.found().keySet());
        assertEquals(Set.of(4L), result.missing(), "4 was skipped by a later record: compacted or aborted");
    }

    @Test
    void offsetsBelowTheLogStartAreMissing() {
        consumer.updateBeginningOffsets(Map.of(PARTITION, 5L));
        consumer.updateEndOffsets(Map.of(PARTITION, 10L));
        consumer.assign(List.of(PARTITION));
        consumer.setPollException(new OffsetOutOfRangeException("out of range", Map.of(PARTITION, 1L)));
        consumer.addRecord(record(6));

        RecordReader.Result result = reader.read(PARTITION, new TreeSet<>(List.of(1L, 2L, 6L)));

        assertEquals(Set.of(1L, 2L), result.missing());
        assertEquals(Set.of(6L), result.found().keySet());
    }

    @Test
    void offsetsNotYetReadableAreNeitherFoundNorMissing() {
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, 3L));
        consumer.assign(List.of(PARTITION));

        RecordReader.Result result = reader.read(PARTITION, new TreeSet<>(List.of(7L)));

        assertEquals(Set.of(), result.found().keySet());
        assertEquals(Set.of(), result.missing());
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, new byte[] {1},
                new byte[] {(byte) offset});
    }
}
