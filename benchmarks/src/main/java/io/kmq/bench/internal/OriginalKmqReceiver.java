package io.kmq.bench.internal;

import io.kmq.KmqConfig;
import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The protocol of the original softwaremill/kmq client, rebuilt on kmq's marker format so that kmq's tracker
 * redelivers for it: every poll sends one START marker per record, waits for all of them, commits the batch's offsets
 * synchronously, and only then processes it; each processed record gets an END marker. It has no negative
 * acknowledgment: a dropped record is redelivered only when its message timeout passes.
 */
final class OriginalKmqReceiver implements Receiver {

    private final AutoCloseable tracker;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> markers;
    private final String markersTopic;
    private final byte[] start;
    private final byte[] end = MarkerCodec.encodeValue(new Marker.End());

    /** Starts the tracker first (it must be running before messages time out), then the clients. */
    OriginalKmqReceiver(String bootstrapServers, KmqConfig config, TrackerLauncher trackers) {
        this.markersTopic = config.markersTopic();
        this.start = MarkerCodec.encodeValue(new Marker.Start(config.messageTimeout()));
        this.tracker = trackers.start(config);
        KafkaConsumer<byte[], byte[]> createdConsumer = null;
        try {
            Map<String, Object> consumerProps = Receivers.consumerProperties(bootstrapServers, config.groupId());
            consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // the tracker redelivers in transactions
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            createdConsumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            this.consumer = createdConsumer;
            this.markers = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.CLIENT_ID_CONFIG, config.groupId() + "-markers"),
                    new ByteArraySerializer(), new ByteArraySerializer());
            consumer.subscribe(List.of(config.topic()));
        } catch (RuntimeException e) {
            KafkaConsumer<byte[], byte[]> opened = createdConsumer;
            throw Closeables.closeAfter(e, () -> Closeables.closeAll(opened, tracker));
        }
    }

    @Override
    public void poll(Duration timeout, DeliveryHandler handler) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (records.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> starts = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            starts.add(markers.send(marker(record, start)));
        }
        awaitAll(starts);
        consumer.commitSync();
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (handler.accept(record.value(), now)) {
                markers.send(marker(record, end));
            }
        }
    }

    private ProducerRecord<byte[], byte[]> marker(ConsumerRecord<byte[], byte[]> record, byte[] value) {
        byte[] key = MarkerCodec.encodeKey(new MarkerKey(record.partition(), record.offset()));
        return new ProducerRecord<>(markersTopic, record.partition(), key, value);
    }

    /** Waits for every START marker; a failed one fails the run (the original client threw too). */
    private static void awaitAll(List<Future<RecordMetadata>> starts) {
        try {
            for (Future<RecordMetadata> started : starts) {
                started.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while awaiting START markers", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("START marker not acknowledged", e.getCause());
        }
    }

    /** Closes the clients first (the producer sends its END markers), then the tracker. */
    @Override
    public void close() {
        Closeables.closeAll(markers, consumer, tracker);
    }
}
