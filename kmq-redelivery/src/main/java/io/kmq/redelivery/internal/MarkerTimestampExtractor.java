package io.kmq.redelivery.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Uses a marker's record timestamp (LogAppendTime on a correctly created markers topic) as is. A negative timestamp
 * (never seen with LogAppendTime; possible in old message formats) becomes the partition time, so the record is still
 * read (and skipped if malformed) without moving the observed time and without stopping the stream thread, which the
 * default extractor would do.
 *
 * <p>The timestamp type cannot be checked here: Kafka Streams hands extractors records marked CreateTime whatever
 * the topic's type, so the tracker checks the topic config at startup instead ({@code KmqAdmin.validate}).
 */
public final class MarkerTimestampExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long timestamp = record.timestamp();
        return timestamp >= 0 ? timestamp : Math.max(0, partitionTime);
    }
}
