package io.kmq.redelivery.internal;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes ticks for every task of one tracker instance with a producer of its own (idempotent, not transactional) on
 * one scheduler thread, at the exact wall time asked for. Outside the tasks' transactions a tick is readable as soon
 * as the broker has it, instead of after the task's next commit; that is sound because a tick carries no state: it
 * only proves, once read back, that everything appended before it has been read (a {@code read_committed} reader
 * still reads the partition in offset order). A failed or lost tick is re-sent after the clock's retry interval.
 */
public final class Ticker implements Ticks.Factory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Ticker.class);
    private static final byte[] TICK = MarkerCodec.encodeValue(new Marker.Tick());
    private static final long FAILURE_LOG_PERIOD_MS = 10_000;

    private final Producer<byte[], byte[]> producer;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    /** When a failed tick was last logged: at most one line per {@link #FAILURE_LOG_PERIOD_MS}. */
    private final AtomicLong failureLoggedAt = new AtomicLong(Long.MIN_VALUE);

    Ticker(Producer<byte[], byte[]> producer, Clock clock, String threadName) {
        this.producer = producer;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A ticker writing with these connection properties.
     *
     * @param connection bootstrap servers and security settings
     * @param clientId   the client id of its producer, also its thread's name
     */
    public static Ticker create(Map<String, Object> connection, String clientId) {
        Map<String, Object> props = new HashMap<>(connection);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new Ticker(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
                Clock.systemUTC(), clientId);
    }

    @Override
    public Ticks create(String markersTopic, int partition, TrackerOutputs outputs) {
        return new PartitionTicks(markersTopic, partition);
    }

    /** Stops the scheduler thread and closes the producer. */
    @Override
    public void close() {
        Closer.closeAll(null, scheduler::shutdownNow, () -> producer.close(Duration.ofSeconds(5)));
    }

    /** The ticks of one task; called by its stream thread, fired on the scheduler thread. */
    private final class PartitionTicks implements Ticks {
        private final String topic;
        private final int partition;
        private final byte[] key;
        private ScheduledFuture<?> pending;
        private long pendingAt;

        PartitionTicks(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
            this.key = MarkerCodec.encodeKey(MarkerKey.tick(partition));
        }

        @Override
        public synchronized void at(long at, BooleanSupplier stillNeeded) {
            if (pending != null && !pending.isDone()) {
                if (pendingAt <= at) {
                    return;
                }
                pending.cancel(false);
            }
            pendingAt = at;
            pending = scheduler.schedule(() -> fire(stillNeeded), Math.max(0, at - clock.millis()),
                    TimeUnit.MILLISECONDS);
        }

        private void fire(BooleanSupplier stillNeeded) {
            if (stillNeeded.getAsBoolean()) {
                producer.send(new ProducerRecord<>(topic, partition, key, TICK), (metadata, e) -> {
                    long now = clock.millis();
                    long logged = failureLoggedAt.get();
                    if (e != null && (logged == Long.MIN_VALUE || now - logged >= FAILURE_LOG_PERIOD_MS)
                            && failureLoggedAt.compareAndSet(logged, now)) {
                        log.warn("Tick to {}-{} not written (another follows after the retry interval): {}", topic,
                                partition, e.toString());
                    }
                });
            }
        }

        @Override
        public synchronized void cancel() {
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }
    }
}
