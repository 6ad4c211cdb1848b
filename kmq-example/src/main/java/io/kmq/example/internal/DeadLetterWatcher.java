package io.kmq.example.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.errors.WakeupException;

/** Reads a dead-letter topic from the beginning and reports each dead-lettered record until closed. */
public final class DeadLetterWatcher implements Runnable, AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Consumer<ConsumerRecord<byte[], byte[]>> onDeadLetter;
    private volatile boolean running = true;

    /** Watches {@code topic} of the cluster at {@code bootstrapServers}. */
    public DeadLetterWatcher(String bootstrapServers, String topic, Consumer<ConsumerRecord<byte[], byte[]>> onDeadLetter) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, topic + "-watcher",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(topic));
        this.onDeadLetter = onDeadLetter;
    }

    @Override
    public void run() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(200)).forEach(onDeadLetter);
            }
        } catch (WakeupException e) {
            // close() woke the poll up: stop
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
