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
 * A processor in the test JVM, using {@link KmqClient} directly, that acknowledges only the deliveries a predicate
 * accepts (the predicate also sees, and may count, every delivery); the rest are never acknowledged, so the tracker
 * redelivers or dead-letters them.
 */
final class SelectiveProcessor implements Runnable, AutoCloseable {

    private final KmqConfig config;
    private final Predicate<ConsumerRecord<byte[], byte[]>> acknowledge;
    private final Consumer<String> onProcessed;
    private final Thread thread;
    private volatile boolean running = true;

    private SelectiveProcessor(KmqConfig config, Predicate<ConsumerRecord<byte[], byte[]>> acknowledge,
                               Consumer<String> onProcessed) {
        this.config = config;
        this.acknowledge = acknowledge;
        this.onProcessed = onProcessed;
        this.thread = new Thread(this, "fault-selective-processor");
        this.thread.setDaemon(true);
    }

    /** Starts processing in a thread of its own; {@code onProcessed} gets the id of each record acknowledged. */
    static SelectiveProcessor start(KmqConfig config, Predicate<ConsumerRecord<byte[], byte[]>> acknowledge,
                                    Consumer<String> onProcessed) {
        SelectiveProcessor processor = new SelectiveProcessor(config, acknowledge, onProcessed);
        processor.thread.start();
        return processor;
    }

    @Override
    public void run() {
        try (KmqClient<byte[], byte[]> client = new KmqClient<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : client.nextBatch(Duration.ofMillis(100))) {
                    if (acknowledge.test(record)) {
                        onProcessed.accept(ExampleSender.idOf(record.value()));
                        client.processed(record);
                    }
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
