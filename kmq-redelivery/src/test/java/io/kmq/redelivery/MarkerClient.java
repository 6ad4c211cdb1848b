package io.kmq.redelivery;

import io.kmq.KmqConfig;
import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import io.kmq.redelivery.internal.Closer;
import io.kmq.testkit.KafkaEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Stands in for KmqClient (not yet available): reads the message topic with a plain consumer and writes the markers
 * a KmqClient would, with a plain producer and {@link MarkerCodec}.
 */
final class MarkerClient implements AutoCloseable {

    private final KmqConfig config;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;

    MarkerClient(KafkaEnvironment kafka, KmqConfig config, int partitions) {
        this.config = config;
        this.producer = TrackerFixture.producer(kafka);
        this.consumer = TrackerFixture.reader(kafka, config.topic(), partitions);
    }

    /** Produces a message; returns its metadata (partition and offset). */
    RecordMetadata produce(int partition, String key, String value) {
        return TrackerFixture.send(producer, new ProducerRecord<>(config.topic(), partition, key.getBytes(),
                value.getBytes()));
    }

    /** Polls the message topic once and writes a START marker for every record, like KmqClient.nextBatch. */
    List<ConsumerRecord<byte[], byte[]>> nextBatch() {
        List<ConsumerRecord<byte[], byte[]>> records = TrackerFixture.poll(consumer);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            marker(record, new Marker.Start(config.messageTimeout()));
        }
        return records;
    }

    /** Polls until {@code count} records arrived, writing their STARTs. */
    List<ConsumerRecord<byte[], byte[]>> nextBatch(int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TrackerFixture.AWAIT.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            records.addAll(nextBatch());
        }
        if (records.size() < count) {
            throw new AssertionError("got " + records.size() + " records (expected: " + count + ")");
        }
        return records;
    }

    /**
     * Polls until {@code count} records arrived, writing one START_RANGE per run of consecutive offsets of a
     * partition in each poll instead of one START per record.
     */
    List<ConsumerRecord<byte[], byte[]>> nextBatchAsRanges(int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TrackerFixture.AWAIT.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            List<ConsumerRecord<byte[], byte[]>> batch = TrackerFixture.poll(consumer);
            runs(batch).forEach((first, runCount) -> rawMarker(first.partition(), MarkerCodec.encodeKey(first),
                    MarkerCodec.encodeValue(new Marker.StartRange(config.messageTimeout(), runCount))));
            records.addAll(batch);
        }
        if (records.size() < count) {
            throw new AssertionError("got " + records.size() + " records (expected: " + count + ")");
        }
        return records;
    }

    /** Writes one END_RANGE per run of consecutive offsets of a partition among {@code records}. */
    void processedAsRanges(List<ConsumerRecord<byte[], byte[]>> records) {
        runs(records).forEach((first, runCount) -> rawMarker(first.partition(), MarkerCodec.encodeKey(first),
                MarkerCodec.encodeValue(new Marker.EndRange(runCount))));
    }

    /** The runs of consecutive offsets per partition: first key → length. */
    private static Map<MarkerKey, Integer> runs(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<MarkerKey, Integer> runs = new LinkedHashMap<>();
        MarkerKey first = null;
        ConsumerRecord<byte[], byte[]> previous = null;
        for (ConsumerRecord<byte[], byte[]> record : records.stream().sorted(Comparator
                .comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset)).toList()) {
            if (previous == null || previous.partition() != record.partition()
                    || previous.offset() + 1 != record.offset()) {
                first = new MarkerKey(record.partition(), record.offset());
                runs.put(first, 0);
            }
            runs.merge(first, 1, Integer::sum);
            previous = record;
        }
        return runs;
    }

    RecordMetadata processed(ConsumerRecord<byte[], byte[]> record) {
        return marker(record, new Marker.End());
    }

    RecordMetadata release(ConsumerRecord<byte[], byte[]> record, Duration delay) {
        return marker(record, new Marker.Release(delay));
    }

    RecordMetadata reject(ConsumerRecord<byte[], byte[]> record, String reason) {
        return marker(record, new Marker.Reject(reason));
    }

    RecordMetadata extend(ConsumerRecord<byte[], byte[]> record, Duration extension) {
        return marker(record, new Marker.Extend(extension));
    }

    /** Writes a marker about {@code record} to markers partition == record partition. */
    RecordMetadata marker(ConsumerRecord<byte[], byte[]> record, Marker marker) {
        return rawMarker(record.partition(), MarkerCodec.encodeKey(new MarkerKey(record.partition(),
                record.offset())), MarkerCodec.encodeValue(marker));
    }

    /** Writes any bytes to a markers partition. */
    RecordMetadata rawMarker(int partition, byte[] key, byte[] value) {
        return TrackerFixture.send(producer, new ProducerRecord<>(config.markersTopic(), partition, key, value));
    }

    @Override
    public void close() {
        Closer.closeAll(null, () -> producer.close(Duration.ofSeconds(5)),
                () -> consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))));
    }
}
