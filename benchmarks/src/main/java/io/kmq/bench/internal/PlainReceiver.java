package io.kmq.bench.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The seed's plain receiver: a {@code KafkaConsumer} that processes records in offset order and commits the highest
 * processed offset of each partition once a second. Plain Kafka has no per-message redelivery, so a dropped record is
 * redelivered the only way it can be: the partition is sought back to it, and the rest of that partition's records in
 * the batch are fetched again later (they are not counted as delivered). Every seek costs a fetch round trip, and the
 * new fetch waits for the one in flight, which the broker holds up to {@code fetch.max.wait.ms} (500 ms by default)
 * when the other partitions have nothing new; with {@code rewinding} that wait is cut to {@value #REWIND_FETCH_WAIT_MS}
 * ms, plain Kafka's best case for redelivering by seeking.
 */
final class PlainReceiver implements Receiver {

    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    static final int REWIND_FETCH_WAIT_MS = 10;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    private long lastCommitNanos = System.nanoTime();

    /**
     * @param rewinding whether records will be dropped (and sought back to): then fetches wait
     *                  {@value #REWIND_FETCH_WAIT_MS} ms at most; otherwise Kafka's defaults apply
     * @param extra     consumer properties set over these ({@code --plain-config})
     */
    PlainReceiver(String bootstrapServers, String topic, String groupId, boolean rewinding, Map<String, String> extra) {
        Map<String, Object> props = Receivers.consumerProperties(bootstrapServers, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (rewinding) {
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(REWIND_FETCH_WAIT_MS));
        }
        props.putAll(extra);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            consumer.subscribe(List.of(topic));
        } catch (RuntimeException e) {
            throw Closeables.closeAfter(e, consumer);
        }
    }

    @Override
    public void poll(Duration timeout, DeliveryHandler handler) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        long now = System.nanoTime();
        for (TopicPartition partition : records.partitions()) {
            ConsumerRecord<byte[], byte[]> lastProcessed = null;
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (!handler.accept(record.value(), now)) {
                    consumer.seek(partition, record.offset());
                    break;
                }
                lastProcessed = record;
            }
            if (lastProcessed != null) { // once per partition and poll, not per record: plain at its best
                toCommit.put(partition, new OffsetAndMetadata(lastProcessed.offset() + 1));
            }
        }
        if (now - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
            commit();
            lastCommitNanos = now;
        }
    }

    private void commit() {
        if (!toCommit.isEmpty()) {
            consumer.commitSync(Map.copyOf(toCommit));
            toCommit.clear();
        }
    }

    @Override
    public void close() {
        Closeables.closeAll(this::commit, consumer);
    }
}
