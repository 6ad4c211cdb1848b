package io.kmq.example;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How to process messages with kmq: take a batch from {@link KmqClient#nextBatch(Duration)}, handle each record, and
 * acknowledge it with {@link KmqClient#processed}. A record that is never acknowledged is redelivered by the tracker
 * after the message timeout. This processor drops a given fraction of records at random to show exactly that.
 */
public final class ExampleProcessor implements Runnable, AutoCloseable {

    private final KmqClient<byte[], byte[]> client;
    private final double dropRate;
    private final Consumer<String> onProcessed;
    private volatile boolean running = true;

    /**
     * @param config      the queue to process
     * @param dropRate    the fraction of records to drop (never acknowledge), 0 to 1
     * @param onProcessed called with the id of every record acknowledged
     */
    public ExampleProcessor(KmqConfig config, double dropRate, Consumer<String> onProcessed) {
        if (dropRate < 0 || dropRate > 1) {
            throw new IllegalArgumentException("drop rate : " + dropRate + " (expected: 0 to 1)");
        }
        this.client = new KmqClient<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.dropRate = dropRate;
        this.onProcessed = onProcessed;
    }

    /** Processes until {@link #close()}; the client is closed when this returns. */
    @Override
    public void run() {
        try (client) {
            while (running) {
                List<ConsumerRecord<byte[], byte[]>> batch = client.nextBatch(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    if (ThreadLocalRandom.current().nextDouble() < dropRate) {
                        continue; // dropped: no acknowledgment, so kmq redelivers it after the timeout
                    }
                    onProcessed.accept(ExampleSender.idOf(record.value())); // "process" the message
                    client.processed(record);                                // then acknowledge it
                }
            }
        }
    }

    /** Asks {@link #run()} to stop after its current batch. */
    @Override
    public void close() {
        running = false;
    }
}
