package io.kmq.example;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How to send messages to a kmq topic: nothing kmq-specific, a plain Kafka producer with {@code acks=all}. Each
 * message carries a unique id (its value), so that the demo can account for every message at the end.
 */
public final class ExampleSender implements AutoCloseable {

    private static final int MAX_UNCONFIRMED_SENDS = 1_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    /** A sender to {@code topic} of the cluster at {@code bootstrapServers}. */
    public ExampleSender(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",              // a message is sent once all in-sync replicas have it
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,   // retries never duplicate a message
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The id carried by message number {@code n}. */
    public static String messageId(long n) {
        return String.format("msg-%09d", n);
    }

    /** Reads the id back from a message value. */
    public static String idOf(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    /**
     * Sends messages {@code first} to {@code first + count - 1}, calling {@code onSent} with each id once the broker
     * confirmed it, and returns when all are confirmed.
     *
     * @throws IllegalStateException if a send fails
     */
    public void send(long first, long count, Consumer<String> onSent) {
        Deque<Map.Entry<String, Future<RecordMetadata>>> unconfirmed = new ArrayDeque<>();
        for (long n = first; n < first + count; n++) {
            String id = messageId(n);
            byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
            unconfirmed.add(Map.entry(id, producer.send(new ProducerRecord<>(topic, bytes, bytes))));
            if (unconfirmed.size() >= MAX_UNCONFIRMED_SENDS) {
                confirm(unconfirmed.poll(), onSent);
            }
        }
        while (!unconfirmed.isEmpty()) {
            confirm(unconfirmed.poll(), onSent);
        }
    }

    private static void confirm(Map.Entry<String, Future<RecordMetadata>> send, Consumer<String> onSent) {
        try {
            send.getValue().get();
            onSent.accept(send.getKey());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + send.getKey(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending " + send.getKey() + " failed", e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
