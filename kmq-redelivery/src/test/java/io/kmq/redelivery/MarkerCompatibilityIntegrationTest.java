package io.kmq.redelivery;

import static io.kmq.redelivery.TrackerFixture.AWAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What else may be on the markers topic: garbage, markers in the original kmq format; and deleted messages. */
@KafkaTest
class MarkerCompatibilityIntegrationTest {

    @Test
    void randomBytesOnTheMarkersTopicAreSkippedAndCounted(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, config, 1);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), config);
             MarkerClient client = new MarkerClient(kafka, config, 1)) {
            TrackerFixture.awaitCaughtUp(tracker);
            Random random = new Random(42);
            int garbage = 60;
            for (int i = 0; i < garbage; i++) {
                int keyLength = random.nextInt(20);
                byte[] key = i % 10 == 0 ? null : bytes(random, keyLength == 12 ? 13 : keyLength);
                byte[] value = i % 7 == 0 ? null : bytes(random, random.nextInt(20));
                client.rawMarker(0, key, value);
            }
            client.produce(0, "k", "still tracked");
            client.nextBatch(1);

            List<ConsumerRecord<byte[], byte[]>> redelivered = new ArrayList<>();
            await().atMost(AWAIT).until(() -> redelivered.addAll(client.nextBatch()));
            assertEquals("still tracked", TrackerFixture.value(redelivered.get(0)));
            assertEquals(garbage, tracker.metrics().skippedMarkers());
        }
    }

    @Test
    void markersInTheOriginalKmqFormatAreTracked(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, config, 2);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), config);
             MarkerClient client = new MarkerClient(kafka, config, 2);
             KafkaConsumer<byte[], byte[]> messages = TrackerFixture.reader(kafka, config.topic(), 2)) {
            TrackerFixture.awaitCaughtUp(tracker);
            long acked = client.produce(1, "a", "acked").offset();
            long dropped = client.produce(1, "d", "dropped").offset();
            // exactly what softwaremill/kmq's MarkerKey, StartMarker(msgTimeoutMs) and EndMarker serialize
            client.rawMarker(1, ByteBuffer.allocate(12).putInt(1).putLong(acked).array(),
                    ByteBuffer.allocate(9).put((byte) 1).putLong(1000).array());
            client.rawMarker(1, ByteBuffer.allocate(12).putInt(1).putLong(dropped).array(),
                    ByteBuffer.allocate(9).put((byte) 1).putLong(1000).array());
            client.rawMarker(1, ByteBuffer.allocate(12).putInt(1).putLong(acked).array(), new byte[] {0});

            List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
            await().atMost(AWAIT).until(() -> {
                seen.addAll(TrackerFixture.poll(messages));
                return seen.size() >= 3;
            });
            long until = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < until) {
                seen.addAll(TrackerFixture.poll(messages));
            }
            assertEquals(List.of("dropped"), seen.stream().filter(r -> KmqHeaders.redeliveryCount(r.headers()) == 1)
                    .map(TrackerFixture::value).toList());
            assertEquals(3, seen.size());
        }
    }

    @Test
    void messagesDeletedByRetentionAreDeadLetteredWithoutContent(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, config, 1);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), config);
             MarkerClient client = new MarkerClient(kafka, config, 1);
             KafkaConsumer<byte[], byte[]> dlq = TrackerFixture.reader(kafka, config.deadLetterTopic(), 1);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TrackerFixture.awaitCaughtUp(tracker);
            for (int i = 0; i < 3; i++) {
                client.produce(0, "k" + i, "v" + i);
            }
            client.nextBatch(3);
            admin.deleteRecords(Map.of(new TopicPartition(config.topic(), 0), RecordsToDelete.beforeOffset(2)))
                    .all().get();

            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> redelivered = new ArrayList<>();
            await().atMost(AWAIT).until(() -> {
                dead.addAll(TrackerFixture.poll(dlq));
                redelivered.addAll(client.nextBatch());
                return dead.size() >= 2 && !redelivered.isEmpty();
            });
            assertEquals(Set.of("0", "1"), dead.stream()
                    .map(r -> TrackerFixture.header(r, KmqHeaders.ORIGINAL_OFFSET))
                    .collect(Collectors.toSet()));
            for (ConsumerRecord<byte[], byte[]> record : dead) {
                assertEquals(0, record.value().length);
                assertEquals("deleted: offset no longer in the log",
                        TrackerFixture.header(record, KmqHeaders.DLQ_REASON));
            }
            assertEquals(List.of("v2"), redelivered.stream().map(TrackerFixture::value).toList());
        }
    }

    @Test
    void oneTrackerServesSeveralTopics(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig first = TrackerFixture.config(kafka, topic.derived("a"), Duration.ofSeconds(1), 3);
        KmqConfig second = TrackerFixture.config(kafka, topic.derived("b"), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, first, 1);
        TrackerFixture.createTopics(kafka, second, 3);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), first,
                second);
             MarkerClient a = new MarkerClient(kafka, first, 1);
             MarkerClient b = new MarkerClient(kafka, second, 3)) {
            TrackerFixture.awaitCaughtUp(tracker);
            a.produce(0, "k", "from a");
            b.produce(2, "k", "from b");
            a.nextBatch(1);
            b.nextBatch(1);

            List<ConsumerRecord<byte[], byte[]>> fromA = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> fromB = new ArrayList<>();
            await().atMost(AWAIT).until(() -> {
                fromA.addAll(a.nextBatch());
                fromB.addAll(b.nextBatch());
                return !fromA.isEmpty() && !fromB.isEmpty();
            });
            assertEquals("from a", TrackerFixture.value(fromA.get(0)));
            assertEquals("from b", TrackerFixture.value(fromB.get(0)));
            assertEquals(2, fromB.get(0).partition(), "redelivered to the original partition");
        }
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
