package io.kmq.bench.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A share consumer (KIP-932) with explicit acknowledgement: ACCEPT for a processed record, RELEASE for a dropped one
 * (the broker redelivers it). Acknowledgements travel with the next poll. The share group must be configured to
 * start at the earliest offset before this receiver subscribes (see {@link BenchAdmin#prepareShareGroup}).
 */
final class ShareReceiver implements Receiver {

    /** The consumer property selecting explicit acknowledgement. */
    static final String ACKNOWLEDGEMENT_MODE = "share.acknowledgement.mode";

    private final KafkaShareConsumer<byte[], byte[]> consumer;

    ShareReceiver(String bootstrapServers, String topic, String groupId) {
        Map<String, Object> props = Receivers.consumerProperties(bootstrapServers, groupId);
        props.put(ACKNOWLEDGEMENT_MODE, "explicit");
        this.consumer = new KafkaShareConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
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
        for (ConsumerRecord<byte[], byte[]> record : records) {
            consumer.acknowledge(record, handler.accept(record.value(), now)
                    ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
        }
    }

    @Override
    public void close() {
        Closeables.closeAll(consumer::commitSync, consumer);
    }
}
