package io.kmq.gateway.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces published records ({@code acks=all}, idempotent) from one thread of its own, so that a producer that blocks
 * (on metadata, or a full buffer) never blocks an event loop. The queue in front of it is bounded: a publish that does
 * not fit fails at once.
 */
final class Publisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    static final int QUEUE_CAPACITY = 65_536;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** Called once per publish, from a producer or the publisher thread. */
    interface Completion {
        void completed(RecordMetadata metadata, Exception error);
    }

    private final Producer<byte[], byte[]> producer;
    private final ThreadPoolExecutor executor;

    /** @param producer owned and closed by the publisher */
    Publisher(Producer<byte[], byte[]> producer, String threadName) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), runnable -> {
                    Thread thread = new Thread(runnable, threadName);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Produces {@code value} with {@code key} (null for none) to {@code topic}; {@code completion} gets the outcome. */
    void publish(String topic, byte[] key, byte[] value, Completion completion) {
        try {
            executor.execute(() -> send(new ProducerRecord<>(topic, key, value), completion));
        } catch (RejectedExecutionException e) {
            completion.completed(null, new RejectedExecutionException(executor.isShutdown()
                    ? "the gateway is shutting down" : "the gateway's publish queue is full (" + QUEUE_CAPACITY
                    + " publishes waiting for the producer)"));
        }
    }

    private void send(ProducerRecord<byte[], byte[]> record, Completion completion) {
        try {
            producer.send(record, completion::completed);
        } catch (RuntimeException e) { // thrown before the producer took the record: the callback will not run
            completion.completed(null, e);
        }
    }

    /** Produces what is queued, then closes the producer (waiting up to 30 s for acknowledgments). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("publisher did not drain its queue within {}", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(CLOSE_TIMEOUT);
    }
}
