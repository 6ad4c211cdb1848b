package io.kmq.bench.internal;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * kmq: a {@link KmqClient} (START markers written and awaited before each batch is committed and returned, an END
 * marker per processed record) with the redelivery tracker running beside it. A dropped record is released with no
 * delay, so the tracker redelivers it as soon as it sees the RELEASE marker is due.
 */
final class KmqReceiver implements Receiver {

    private final AutoCloseable tracker;
    private final KmqClient<byte[], byte[]> client;

    /** Starts the tracker first (it must be running before messages time out), then the client. */
    KmqReceiver(KmqConfig config, TrackerLauncher trackers) {
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
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            if (handler.accept(record.value(), now)) {
                client.processed(record);
            } else {
                client.release(record, Duration.ZERO);
            }
        }
    }

    /** Closes the client first (it flushes its END markers), then the tracker. */
    @Override
    public void close() {
        Closeables.closeAll(client, tracker);
    }
}
