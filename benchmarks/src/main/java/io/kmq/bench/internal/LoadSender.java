package io.kmq.bench.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producing side of a run. Message {@code i} goes to partition {@code i % partitions}, so every system gets the
 * same spread. Three ways to send:
 * <ul>
 *   <li>{@link #sendAwaitingBatches}: the seed's reliable sender, closed loop: send a batch, wait until the broker has
 *       acknowledged each message, send the next;</li>
 *   <li>{@link #sendPaced}: open loop at a fixed rate; each payload carries the time it was <em>meant</em> to be
 *       sent, so when the sender falls behind the delay counts as latency (no coordinated omission);</li>
 *   <li>{@link #sendAsFastAsPossible}: fills a topic, batching freely.</li>
 * </ul>
 * One sending method runs at a time, on one thread; the counters may be read from any thread.
 */
public final class LoadSender implements AutoCloseable {

    private static final Duration AWAIT = Duration.ofSeconds(60);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final int messageSize;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean stopped;
    private volatile Throwable firstFailure;

    /**
     * @param acks      the producer's {@code acks}: {@code all} (idempotent) or {@code 1}
     * @param linger    the producer's {@code linger.ms}
     */
    public LoadSender(String bootstrapServers, String topic, int partitions, int messageSize, String acks,
                      Duration linger, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, String.valueOf("all".equals(acks)));
        props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(linger.toMillis()));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, linger.isZero() ? "16384" : "262144");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.partitions = partitions;
        this.messageSize = messageSize;
    }

    /**
     * Sends one priming message (negative sequence) to each partition and waits for them, which also loads the
     * producer's metadata before anything is measured.
     *
     * @throws IllegalStateException if a priming message fails
     */
    public void prime() {
        List<Future<RecordMetadata>> sends = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            sends.add(producer.send(new ProducerRecord<>(topic, p, null, Payload.encode(-1 - p, System.nanoTime(),
                    messageSize))));
        }
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("priming message to topic " + topic + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while priming topic " + topic, e);
            }
        }
    }

    /** Sends messages {@code 0..messages-1} in batches of {@code batch}, waiting for each batch's acknowledgements. */
    public void sendAwaitingBatches(int messages, int batch) {
        List<Future<RecordMetadata>> pending = new ArrayList<>(batch);
        for (int seq = 0; seq < messages && !stopped; ) {
            int end = Math.min(messages, seq + batch);
            for (; seq < end; seq++) {
                pending.add(producer.send(record(seq, System.nanoTime())));
            }
            for (Future<RecordMetadata> send : pending) {
                await(send);
            }
            pending.clear();
        }
    }

    /**
     * Sends messages {@code 0..messages-1} at {@code ratePerSecond}, without waiting for acknowledgements; message
     * {@code i} carries its intended send time {@code start + i / rate}.
     */
    public void sendPaced(int messages, int ratePerSecond) {
        double interval = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        for (int seq = 0; seq < messages && !stopped; seq++) {
            long intended = start + (long) (seq * interval);
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            producer.send(record(seq, intended), this::completed);
        }
        producer.flush();
    }

    /** Sends messages {@code 0..messages-1} without waiting, then flushes. */
    public void sendAsFastAsPossible(int messages) {
        for (int seq = 0; seq < messages && !stopped; seq++) {
            producer.send(record(seq, System.nanoTime()), this::completed);
        }
        producer.flush();
    }

    /** Messages the broker acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Messages that failed. */
    public long failed() {
        return failed.get();
    }

    /** The first send failure, or null. */
    public Throwable firstFailure() {
        return firstFailure;
    }

    /** Makes a running send method stop after its current message or batch; safe from any thread. */
    public void stop() {
        stopped = true;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    private ProducerRecord<byte[], byte[]> record(int seq, long sendNanos) {
        return new ProducerRecord<>(topic, seq % partitions, null, Payload.encode(seq, sendNanos, messageSize));
    }

    private void await(Future<RecordMetadata> send) {
        try {
            send.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
            acknowledged.incrementAndGet();
        } catch (ExecutionException e) {
            fail(e.getCause());
        } catch (TimeoutException e) {
            fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
            fail(e);
        }
    }

    private void completed(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            acknowledged.incrementAndGet();
        } else {
            fail(exception);
        }
    }

    private void fail(Throwable cause) {
        failed.incrementAndGet();
        if (firstFailure == null) {
            firstFailure = cause;
        }
    }
}
