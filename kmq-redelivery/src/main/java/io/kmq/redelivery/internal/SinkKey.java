package io.kmq.redelivery.internal;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The key of a record the tracker writes: the raw key bytes plus the partition it must go to. Kafka Streams sinks
 * choose partitions from the key, so the partition travels with it; {@link #SERIALIZER} writes only the bytes.
 *
 * @param partition the target partition (for {@link #SPREAD}, reduced modulo the topic's partition count)
 * @param bytes     the key bytes to write, or null
 */
public record SinkKey(int partition, byte[] bytes) {

    /** Writes the raw key bytes. */
    public static final Serializer<SinkKey> SERIALIZER = (topic, key) -> key == null ? null : key.bytes();

    /**
     * Sends each record to exactly {@link #partition()}: for redeliveries (same partition as the original) and
     * markers (markers partition == message partition). A partition the topic does not have fails the send.
     */
    public static final StreamPartitioner<SinkKey, byte[]> EXACT =
            (topic, key, value, numPartitions) -> Optional.of(Set.of(key.partition()));

    /**
     * Sends each record to {@code partition % numPartitions}: for the dead-letter topic, which may have fewer
     * partitions than the message topic; messages of one original partition stay in order.
     */
    public static final StreamPartitioner<SinkKey, byte[]> SPREAD =
            (topic, key, value, numPartitions) -> Optional.of(Set.of(Math.floorMod(key.partition(), numPartitions)));

    /** Serializes values as they are. */
    public static final Serializer<byte[]> VALUE_SERIALIZER = (topic, value) -> value;
}
