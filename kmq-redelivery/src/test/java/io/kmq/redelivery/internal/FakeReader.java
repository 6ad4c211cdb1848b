package io.kmq.redelivery.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** A {@link RecordReader} over an in-memory log, for TopologyTestDriver tests. */
final class FakeReader implements RecordReader, RecordReader.Factory {

    private final Map<TopicPartition, Map<Long, ConsumerRecord<byte[], byte[]>>> log = new HashMap<>();
    private final Set<TopicPartition> unavailable = new HashSet<>();
    private final Set<Long> deleted = new HashSet<>();
    final AtomicInteger reads = new AtomicInteger();

    /** Adds a record to the log. */
    ConsumerRecord<byte[], byte[]> add(String topic, int partition, long offset, long timestamp, String key,
                                        String value, RecordHeaders headers) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(topic, partition, offset, timestamp,
                TimestampType.CREATE_TIME, -1, -1, key == null ? null : key.getBytes(),
                value.getBytes(), headers, Optional.empty());
        log.computeIfAbsent(new TopicPartition(topic, partition), tp -> new HashMap<>()).put(offset, record);
        return record;
    }

    /** Makes reads of {@code partition} return nothing (neither found nor missing). */
    void unavailable(TopicPartition partition, boolean value) {
        if (value) {
            unavailable.add(partition);
        } else {
            unavailable.remove(partition);
        }
    }

    /** Marks an offset as deleted by retention. */
    void delete(long offset) {
        deleted.add(offset);
    }

    @Override
    public Result read(TopicPartition partition, SortedSet<Long> offsets) {
        reads.incrementAndGet();
        Map<Long, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
        Set<Long> missing = new HashSet<>();
        if (unavailable.contains(partition)) {
            return new Result(found, missing);
        }
        Map<Long, ConsumerRecord<byte[], byte[]>> records = log.getOrDefault(partition, Map.of());
        for (long offset : offsets) {
            if (deleted.contains(offset)) {
                missing.add(offset);
            } else if (records.containsKey(offset)) {
                found.put(offset, records.get(offset));
            }
        }
        return new Result(found, missing);
    }

    @Override
    public RecordReader create(String clientId) {
        return this;
    }

    @Override
    public void close() {
    }
}
