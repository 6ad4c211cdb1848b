package io.kmq.redelivery.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * The Kafka clients of the tracker's Streams application: the standard ones, except that each stream thread's main
 * consumer is {@link PacedConsumer paced} when the maximum read delay is positive. (With Kafka Streams' own
 * {@code group.protocol=streams}, Streams creates the main consumer itself and the markers are read unpaced.)
 */
public final class PacedClientSupplier implements KafkaClientSupplier {

    private final Duration maxReadDelay;

    /** Clients whose main consumers wait at most {@code maxReadDelay} before reading (zero: never). */
    public PacedClientSupplier(Duration maxReadDelay) {
        this.maxReadDelay = maxReadDelay;
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        Consumer<byte[], byte[]> consumer = plainConsumer(config);
        return maxReadDelay.isZero() ? consumer : PacedConsumer.wrap(consumer, maxReadDelay, Clock.systemUTC());
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return plainConsumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return plainConsumer(config);
    }

    private static Consumer<byte[], byte[]> plainConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
