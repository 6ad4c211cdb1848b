package io.kmq.redelivery.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads messages by offset with a dedicated {@code read_committed} consumer (assign and seek, no group). An offset is
 * <em>missing</em> when the log start has moved past it ({@link OffsetOutOfRangeException} or a list-offsets answer)
 * or when the consumer returns a later record or position without it (compacted away, or an aborted record).
 */
public final class KafkaRecordReader implements RecordReader {

    /** Seek instead of reading through when the next wanted offset is this far ahead of the position. */
    private static final long SEEK_GAP = 200;
    /** How long the broker may hold a fetch that finds nothing readable. */
    private static final int FETCH_MAX_WAIT_MS = 10;

    private final Consumer<byte[], byte[]> consumer;
    private final Duration pollTimeout;
    private TopicPartition assigned;

    /** A reader over an existing consumer (tests). */
    KafkaRecordReader(Consumer<byte[], byte[]> consumer, Duration pollTimeout) {
        this.consumer = consumer;
        this.pollTimeout = pollTimeout;
    }

    /**
     * A factory creating readers with these connection properties.
     *
     * @param connection  bootstrap servers and security settings
     * @param pollTimeout how long one {@link #read} may wait for records
     */
    public static Factory factory(Map<String, Object> connection, Duration pollTimeout) {
        return clientId -> {
            Map<String, Object> props = new HashMap<>(connection);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
            // an offset past the last stable offset (behind a transaction still open, often the tracker's own, which
            // cannot commit while the stream thread waits here) answers at once instead of after the default 500 ms
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
            return new KafkaRecordReader(new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()), pollTimeout);
        };
    }

    @Override
    public Result read(TopicPartition partition, SortedSet<Long> offsets) {
        if (!partition.equals(assigned)) {
            consumer.assign(List.of(partition));
            assigned = partition;
        }
        TreeSet<Long> wanted = new TreeSet<>(offsets);
        Map<Long, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
        Set<Long> missing = new HashSet<>();
        long deadline = System.nanoTime() + pollTimeout.toNanos();
        boolean seekNeeded = true;
        while (!wanted.isEmpty() && System.nanoTime() < deadline) {
            long next = wanted.first();
            if (seekNeeded || consumer.position(partition) > next || next - consumer.position(partition) > SEEK_GAP) {
                consumer.seek(partition, next);
                seekNeeded = false;
            }
            List<ConsumerRecord<byte[], byte[]>> records;
            try {
                long remainingMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                records = consumer.poll(Duration.ofMillis(remainingMs)).records(partition);
            } catch (OffsetOutOfRangeException e) {
                long logStart = consumer.beginningOffsets(List.of(partition)).get(partition);
                if (next >= logStart) {
                    // out of range yet not below the log start: beyond the log end, truncated away
                    wanted.remove(next);
                    missing.add(next);
                } else {
                    moveBelow(wanted, logStart, missing);
                }
                seekNeeded = true;
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                moveBelow(wanted, record.offset(), missing);
                if (wanted.remove(record.offset())) {
                    found.put(record.offset(), record);
                }
            }
            moveBelow(wanted, consumer.position(partition), missing);
            if (records.isEmpty() && !wanted.isEmpty() && wanted.first() >= endOffset(partition)) {
                break;
            }
        }
        return new Result(found, missing);
    }

    private long endOffset(TopicPartition partition) {
        return consumer.endOffsets(List.of(partition)).get(partition);
    }

    /** Offsets below {@code bound} that were not found are no longer in the log. */
    private static void moveBelow(TreeSet<Long> wanted, long bound, Set<Long> missing) {
        while (!wanted.isEmpty() && wanted.first() < bound) {
            missing.add(wanted.pollFirst());
        }
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
