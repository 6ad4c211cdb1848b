package io.kmq.redelivery;

import static io.kmq.redelivery.TrackerFixture.AWAIT;
import static io.kmq.redelivery.TrackerFixture.value;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * The tracker with START_RANGE and END_RANGE markers written by a plain producer to a real broker: exactly the
 * messages no END or END_RANGE covers come back, once each.
 */
@KafkaTest
class RangeMarkersIntegrationTest {

    private static final int PARTITIONS = 2;
    private static final int MESSAGES = 60;

    @Test
    void onlyMessagesNoEndCoversAreRedeliveredOnce(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, config, PARTITIONS);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), config);
             MarkerClient client = new MarkerClient(kafka, config, PARTITIONS);
             KafkaConsumer<byte[], byte[]> reader = TrackerFixture.reader(kafka, config.topic(), PARTITIONS)) {
            TrackerFixture.awaitCaughtUp(tracker);
            for (int i = 0; i < MESSAGES; i++) {
                client.produce(i % PARTITIONS, "k" + i, "v" + i);
            }
            List<ConsumerRecord<byte[], byte[]>> records = client.nextBatchAsRanges(MESSAGES);
            // acknowledge in runs (END_RANGE) every message but each 5th; one run by single ENDs
            List<ConsumerRecord<byte[], byte[]>> acked = new ArrayList<>();
            Set<String> unacked = new HashSet<>();
            for (int i = 0; i < records.size(); i++) {
                if (i % 5 == 4) {
                    unacked.add(value(records.get(i)));
                } else if (i < 4) {
                    client.processed(records.get(i));
                } else {
                    acked.add(records.get(i));
                }
            }
            client.processedAsRanges(acked);

            List<ConsumerRecord<byte[], byte[]>> redelivered = new ArrayList<>();
            await().atMost(AWAIT).until(() -> {
                TrackerFixture.poll(reader).stream().filter(r -> KmqHeaders.redeliveryCount(r.headers()) > 0)
                        .forEach(redelivered::add);
                return redelivered.size() >= unacked.size();
            });
            assertEquals(unacked, redelivered.stream().map(TrackerFixture::value).collect(Collectors.toSet()));
            // well past another timeout: still once each (the redeliveries are not started; the originals ended)
            long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (System.nanoTime() < until) {
                TrackerFixture.poll(reader).stream().filter(r -> KmqHeaders.redeliveryCount(r.headers()) > 0)
                        .forEach(redelivered::add);
            }
            assertEquals(unacked.size(), redelivered.size());
            await().atMost(AWAIT).untilAsserted(() -> {
                TrackerMetrics metrics = tracker.metrics();
                assertEquals(unacked.size(), metrics.redeliveries());
                assertEquals(0, metrics.inFlight());
                assertEquals(0, metrics.skippedMarkers());
            });
        }
    }
}
