package io.kmq.example.fault;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import io.kmq.example.ExampleSender;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A processor in the test JVM, using {@link KmqClient} directly, that hands every delivery to a {@link Handler}: it
 * decides whether, when and how the delivery is acknowledged (or extended); a delivery never acknowledged is
 * redelivered or dead-lettered by the tracker.
 */
final class SelectiveProcessor implements Runnable, AutoCloseable {

    /** What the processor does with one delivery; called on the polling thread. */
    @FunctionalInterface
    interface Handler {
        void handle(ConsumerRecord<byte[], byte[]> record, KmqClient<byte[], byte[]> client);
    }

    private final KmqConfig config;
    private final Handler handler;
    private final Thread thread;
    private volatile KmqClient<byte[], byte[]> client;
    private volatile boolean running = true;

    private SelectiveProcessor(KmqConfig config, Handler handler) {
        this.config = config;
        this.handler = handler;
        this.thread = new Thread(this, "fault-selective-processor");
        this.thread.setDaemon(true);
    }

    /** Starts processing in a thread of its own. */
    static SelectiveProcessor start(KmqConfig config, Handler handler) {
        SelectiveProcessor processor = new SelectiveProcessor(config, handler);
        processor.thread.start();
        return processor;
    }

    /**
     * Starts a processor that acknowledges at once the deliveries {@code acknowledge} accepts (it also sees, and may
     * count, every delivery) and never the others; {@code onProcessed} gets the id of each acknowledged one.
     */
    static SelectiveProcessor start(KmqConfig config, Predicate<ConsumerRecord<byte[], byte[]>> acknowledge,
                                    Consumer<String> onProcessed) {
        return start(config, (record, client) -> {
            if (acknowledge.test(record)) {
                onProcessed.accept(ExampleSender.idOf(record.value()));
                client.processed(record);
            }
        });
    }

    /** The client, once the polling thread has created it; for metrics. */
    KmqClient<byte[], byte[]> client() {
        return client;
    }

    @Override
    public void run() {
        try (KmqClient<byte[], byte[]> kmq = new KmqClient<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            client = kmq;
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : kmq.nextBatch(Duration.ofMillis(100))) {
                    handler.handle(record, kmq);
                }
            }
        }
    }

    /** Stops after the current batch and waits until the client is closed. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
