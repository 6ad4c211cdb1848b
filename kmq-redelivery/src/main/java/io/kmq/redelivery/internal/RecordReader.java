package io.kmq.redelivery.internal;

import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads messages back by offset, for redelivery. One reader serves one stream task, so it is used by one thread.
 */
public interface RecordReader extends AutoCloseable {

    /**
     * Reads the records at {@code offsets} of {@code partition}. Offsets in neither part of the result could not be
     * read yet (e.g. the poll timed out) and should be tried again later.
     *
     * @param partition the message topic partition
     * @param offsets   the offsets to read, ascending
     */
    Result read(TopicPartition partition, SortedSet<Long> offsets);

    /** Closes the reader's consumer. */
    @Override
    void close();

    /**
     * What a read found.
     *
     * @param found   the records read, by offset
     * @param missing offsets the log provably no longer holds (deleted by retention or compaction)
     */
    record Result(Map<Long, ConsumerRecord<byte[], byte[]>> found, Set<Long> missing) {
    }

    /** Creates a reader for one stream task. */
    @FunctionalInterface
    interface Factory {
        /**
         * Creates a reader.
         *
         * @param clientId a client id naming the task, for the reader's consumer
         */
        RecordReader create(String clientId);
    }
}
