package io.kmq.bench.internal;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * kmq: a {@link KmqClient} (START markers written and awaited before each batch is committed and returned, an END
 * marker per processed record) with the redelivery tracker running beside it. A dropped record is released with no
 * delay, so the tracker redelivers it as soon as it sees the RELEASE marker is due. Processed records are
 * acknowledged one call each, or with one call per batch ({@link io.kmq.bench.BenchSettings#kmqAckBatch()}).
 */
final class KmqReceiver implements Receiver {

    private final AutoCloseable tracker;
    private final KmqClient<byte[], byte[]> client;
    private final boolean ackBatch;

    /** Starts the tracker first (it must be running before messages time out), then the client. */
    KmqReceiver(KmqConfig config, TrackerLauncher trackers, boolean ackBatch) {
        this.ackBatch = ackBatch;
        this.tracker = trackers.start(config);
        try {
            this.client = new KmqClient<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            throw Closeables.closeAfter(e, tracker);
        }
    }

    @Override
    public void poll(Duration timeout, DeliveryHandler handler) {
        List<ConsumerRecord<byte[], byte[]>> batch = client.nextBatch(timeout);
        long now = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> processed = ackBatch ? new ArrayList<>(batch.size()) : null;
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            if (!handler.accept(record.value(), now)) {
                client.release(record, Duration.ZERO);
            } else if (processed != null) {
                processed.add(record);
            } else {
                client.processed(record);
            }
        }
        if (processed != null) {
            client.processedAll(processed);
        }
    }

    /** Closes the client first (it flushes its END markers), then the tracker. */
    @Override
    public void close() {
        Closeables.closeAll(client, tracker);
    }
}
