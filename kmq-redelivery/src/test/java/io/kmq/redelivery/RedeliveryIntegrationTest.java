package io.kmq.redelivery;

import static io.kmq.redelivery.TrackerFixture.AWAIT;
import static io.kmq.redelivery.TrackerFixture.header;
import static io.kmq.redelivery.TrackerFixture.value;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The tracker with a real KmqClient and broker: timeouts, acknowledgments, rejects and dead letters; releases and
 * extensions are timed against their markers' broker timestamps (written by {@link MarkerClient} to learn them).
 */
@KafkaTest
class RedeliveryIntegrationTest {

    @Test
    void unackedMessagesAreRedeliveredOnceAndAckedOnesNever(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, config, 2);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), config);
             MarkerClient producer = new MarkerClient(kafka, config, 2);
             KmqClient<String, String> client = TrackerFixture.client(config)) {
            TrackerFixture.awaitCaughtUp(tracker);
            for (int i = 0; i < 6; i++) {
                producer.produce(i % 2, "k" + i, "v" + i);
            }
            for (ConsumerRecord<String, String> record : TrackerFixture.next(client, 6)) {
                if (record.value().compareTo("v3") < 0) {
                    client.processed(record);
                }
            }

            List<ConsumerRecord<String, String>> redelivered = TrackerFixture.nextProcessed(client, 3);
            assertEquals(Set.of("v3", "v4", "v5"), redelivered.stream().map(ConsumerRecord::value)
                    .collect(Collectors.toSet()));
            for (ConsumerRecord<String, String> record : redelivered) {
                assertEquals(1, KmqHeaders.redeliveryCount(record.headers()));
                assertTrue(KmqHeaders.longValue(record.headers(), KmqHeaders.ORIGINAL_OFFSET).isPresent());
                assertTrue(KmqHeaders.longValue(record.headers(), KmqHeaders.FIRST_DELIVERY_TIME).isPresent());
            }
            // well past another timeout: nothing more (the redeliveries were acked, the originals ended)
            assertEquals(List.of(), TrackerFixture.drain(client, Duration.ofMillis(2500)));
            await().atMost(AWAIT).untilAsserted(() -> {
                TrackerMetrics metrics = tracker.metrics();
                assertEquals(3, metrics.redeliveries());
                assertEquals(0, metrics.inFlight());
                assertEquals(0, metrics.deadLettered());
                assertEquals(0, metrics.skippedMarkers());
            });
        }
    }

    /**
     * Streams here commits on its own only every 2 minutes, longer than the test waits: the redelivery shows because
     * the task asks for a commit after writing it.
     */
    @Test
    void aRedeliveryIsCommittedAtOnceThoughStreamsCommitsRarely(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, config, 1);
        TrackerSettings settings = TrackerFixture.settings(topic.name()).toBuilder()
                .stateCommitInterval(Duration.ofMinutes(2))
                .streamsProperty(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), "300000")
                .build();
        try (RedeliveryTracker tracker = RedeliveryTracker.start(settings, config);
             MarkerClient producer = new MarkerClient(kafka, config, 1);
             KmqClient<String, String> client = TrackerFixture.client(config)) {
            TrackerFixture.awaitCaughtUp(tracker);
            producer.produce(0, "k", "left-to-time-out");
            assertEquals(List.of("left-to-time-out"), TrackerFixture.next(client, 1).stream()
                    .map(ConsumerRecord::value).toList());

            List<ConsumerRecord<String, String>> redelivered = TrackerFixture.nextProcessed(client, 1);
            assertEquals("left-to-time-out", redelivered.get(0).value());
            assertEquals(1, KmqHeaders.redeliveryCount(redelivered.get(0).headers()));
        }
    }

    @Test
    void redeliveryCountGrowsUntilTheMessageIsDeadLettered(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofMillis(500), 2);
        TrackerFixture.createTopics(kafka, config, 1);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), config);
             MarkerClient producer = new MarkerClient(kafka, config, 1);
             KmqClient<String, String> client = TrackerFixture.client(config);
             KafkaConsumer<byte[], byte[]> dlq = TrackerFixture.reader(kafka, config.deadLetterTopic(), 1)) {
            TrackerFixture.awaitCaughtUp(tracker);
            RecordMetadata original = producer.produce(0, "k", "poison");
            List<ConsumerRecord<String, String>> deliveries = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
            await().atMost(AWAIT).until(() -> {
                deliveries.addAll(TrackerFixture.next(client));
                deadLetters.addAll(TrackerFixture.poll(dlq));
                return !deadLetters.isEmpty();
            });
            assertEquals(List.of(0, 1, 2), deliveries.stream().map(r -> KmqHeaders.redeliveryCount(r.headers()))
                    .toList());
            ConsumerRecord<byte[], byte[]> dead = deadLetters.get(0);
            assertEquals("poison", value(dead));
            assertEquals("k", new String(dead.key()));
            assertEquals("timeout", header(dead, KmqHeaders.DLQ_REASON));
            assertEquals("2", header(dead, KmqHeaders.REDELIVERY_COUNT));
            assertEquals(config.topic(), header(dead, KmqHeaders.ORIGINAL_TOPIC));
            assertEquals("0", header(dead, KmqHeaders.ORIGINAL_PARTITION));
            assertEquals(Long.toString(original.offset()), header(dead, KmqHeaders.ORIGINAL_OFFSET));
            assertEquals(header(deliveries.get(1), KmqHeaders.FIRST_DELIVERY_TIME),
                    header(dead, KmqHeaders.FIRST_DELIVERY_TIME));
            assertEquals(1, tracker.metrics().deadLettered());
        }
    }

    @Test
    void rejectGoesToTheDeadLetterTopicAtOnceWithTheReason(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(60), 3);
        TrackerFixture.createTopics(kafka, config, 1);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), config);
             MarkerClient producer = new MarkerClient(kafka, config, 1);
             KmqClient<String, String> client = TrackerFixture.client(config);
             KafkaConsumer<byte[], byte[]> dlq = TrackerFixture.reader(kafka, config.deadLetterTopic(), 1)) {
            TrackerFixture.awaitCaughtUp(tracker);
            producer.produce(0, "k", "unparseable");
            long rejectedAt = System.currentTimeMillis();
            client.reject(TrackerFixture.next(client, 1).get(0), "cannot parse");

            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> dead.addAll(TrackerFixture.poll(dlq)));
            assertEquals("unparseable", value(dead.get(0)));
            assertEquals("rejected: cannot parse", header(dead.get(0), KmqHeaders.DLQ_REASON));
            assertEquals("0", header(dead.get(0), KmqHeaders.REDELIVERY_COUNT));
            assertTrue(dead.get(0).timestamp() - rejectedAt < 10_000, "dead-lettered long before the timeout");
            assertEquals(List.of(), TrackerFixture.drain(client, Duration.ofSeconds(1)), "not redelivered");
        }
    }

    @Test
    void releaseIsRedeliveredAfterTheDelay(KafkaEnvironment kafka, TestTopic topic) {
        long delay = redeliveryDelayAfter(kafka, topic, Duration.ofSeconds(30),
                (client, record) -> client.release(record, Duration.ofMillis(1500)));
        assertTrue(delay >= 1500, "redelivered " + delay + " ms after the release (expected: >= 1500)");
        assertTrue(delay < 10_000, "redelivered " + delay + " ms after the release (expected: soon after 1500)");
    }

    @Test
    void extendPostponesTheRedelivery(KafkaEnvironment kafka, TestTopic topic) {
        long delay = redeliveryDelayAfter(kafka, topic, Duration.ofSeconds(1),
                (client, record) -> client.extend(record, Duration.ofMillis(3000)));
        assertTrue(delay >= 3000, "redelivered " + delay + " ms after the extension (expected: >= 3000)");
    }

    /**
     * Produces one message, STARTs it with {@code timeout}, writes one more marker about it with {@code marker}, and
     * returns how long after that marker's broker time the redelivery came.
     */
    private static long redeliveryDelayAfter(KafkaEnvironment kafka, TestTopic topic, Duration timeout,
            BiFunction<MarkerClient, ConsumerRecord<byte[], byte[]>, RecordMetadata> marker) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), timeout, 3);
        TrackerFixture.createTopics(kafka, config, 1);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), config);
             MarkerClient client = new MarkerClient(kafka, config, 1)) {
            TrackerFixture.awaitCaughtUp(tracker);
            client.produce(0, "k", "v");
            RecordMetadata written = marker.apply(client, client.nextBatch(1).get(0));

            List<ConsumerRecord<byte[], byte[]>> again = new ArrayList<>();
            await().atMost(AWAIT).until(() -> again.addAll(client.nextBatch()));
            assertEquals("v", value(again.get(0)));
            assertEquals(1, KmqHeaders.redeliveryCount(again.get(0).headers()));
            return again.get(0).timestamp() - written.timestamp();
        }
    }
}
