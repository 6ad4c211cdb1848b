package io.kmq.redelivery.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uses a marker's record timestamp as is. A negative timestamp (never seen with LogAppendTime) becomes the partition
 * time, so the record is still read (and skipped if malformed) without moving the observed time. Warns once per
 * topic when markers are not LogAppendTime: the clock rule then relies on the writers' clocks.
 */
public final class MarkerTimestampExtractor implements TimestampExtractor {

    private static final Logger log = LoggerFactory.getLogger(MarkerTimestampExtractor.class);

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.timestampType() != TimestampType.LOG_APPEND_TIME && warned.add(record.topic())) {
            log.warn("Markers topic {} holds {} timestamps (expected: LogAppendTime; set message.timestamp.type="
                    + "LogAppendTime on the topic). Until then deadlines depend on the clocks of the marker writers.",
                    record.topic(), record.timestampType());
        }
        long timestamp = record.timestamp();
        return timestamp >= 0 ? timestamp : Math.max(0, partitionTime);
    }
}
