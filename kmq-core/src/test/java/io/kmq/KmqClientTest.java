package io.kmq;

import static io.kmq.KafkaTestSupport.POLL;
import static io.kmq.KafkaTestSupport.config;
import static io.kmq.KafkaTestSupport.createTopics;
import static io.kmq.KafkaTestSupport.pollAtLeast;
import static io.kmq.KafkaTestSupport.produce;
import static io.kmq.KafkaTestSupport.readMarkers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KafkaTestSupport.ReadMarker;
import io.kmq.internal.KafkaClientFactory;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** KmqClient against a real broker: markers, offsets, backpressure and construction-time validation. */
@KafkaTest
class KmqClientTest {

    private static final int PARTITIONS = 3;

    private static KmqClient<String, String> client(KmqConfig config) {
        return new KmqClient<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static Map<MarkerKey, List<Marker>> byRecord(List<ReadMarker> markers) {
        return markers.stream().collect(Collectors.groupingBy(ReadMarker::key,
                Collectors.mapping(ReadMarker::marker, Collectors.toList())));
    }

    private static MarkerKey keyOf(ConsumerRecord<?, ?> record) {
        return new MarkerKey(record.partition(), record.offset());
    }

    @Test
    void everyRecordGetsOneStartAndOneEndInTheMarkersPartitionOfItsPartition(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).markerRanges(false).messageTimeout(Duration.ofSeconds(45)).build();
        createTopics(config, PARTITIONS);
        produce(kafka, topic.name(), PARTITIONS, 30);

        List<ConsumerRecord<String, String>> received;
        KmqClientMetrics metrics;
        try (KmqClient<String, String> client = client(config)) {
            received = pollAtLeast(client, 30);
            received.forEach(client::processed);
            // handed out at once: their START markers may still be in flight
            Awaitility.await().atMost(KafkaTestSupport.PATIENCE).until(() -> client.metrics().started() == 30);
            metrics = client.metrics();
        }

        assertEquals(30, received.size());
        assertEquals(30, received.stream().map(ConsumerRecord::value).distinct().count());
        List<ReadMarker> markers = readMarkers(kafka, config.markersTopic(), PARTITIONS, 60);
        assertEquals(60, markers.size());
        markers.forEach(marker -> assertEquals(marker.key().partition(), marker.markersPartition()));
        markers.forEach(marker -> assertEquals(TimestampType.LOG_APPEND_TIME, marker.timestampType()));
        Map<MarkerKey, List<Marker>> byRecord = byRecord(markers);
        for (ConsumerRecord<String, String> record : received) {
            assertEquals(List.of(new Marker.Start(Duration.ofSeconds(45)), new Marker.End()),
                    byRecord.get(keyOf(record)), "markers of " + record);
        }
        assertEquals(new KmqClientMetrics(30, 30, 30, 0, 0, 0, 0, 0, 0, Duration.ZERO), metrics);
    }

    @Test
    void recordsNotProcessedBeforeCloseKeepAStartWithoutEnd(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).markerRanges(false).build();
        createTopics(config, PARTITIONS);
        produce(kafka, topic.name(), PARTITIONS, 12);

        Set<MarkerKey> processed = new HashSet<>();
        List<ConsumerRecord<String, String>> received;
        try (KmqClient<String, String> client = client(config)) {
            received = pollAtLeast(client, 12);
            for (int i = 0; i < received.size(); i += 2) {
                client.processed(received.get(i));
                processed.add(keyOf(received.get(i)));
            }
            assertEquals(6, client.metrics().inFlight());
        }

        Map<MarkerKey, List<Marker>> byRecord = byRecord(readMarkers(kafka, config.markersTopic(), PARTITIONS, 18));
        assertEquals(12, byRecord.size());
        for (ConsumerRecord<String, String> record : received) {
            List<Marker> expected = processed.contains(keyOf(record))
                    ? List.of(new Marker.Start(config.messageTimeout()), new Marker.End())
                    : List.of(new Marker.Start(config.messageTimeout()));
            assertEquals(expected, byRecord.get(keyOf(record)), "markers of " + record);
        }
    }

    @Test
    void processedIsSafeFromEightThreads(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        KmqConfig config = config(kafka, topic).markerRanges(false).build();
        createTopics(config, PARTITIONS);
        int count = 800;
        produce(kafka, topic.name(), PARTITIONS, count);

        try (KmqClient<String, String> client = client(config)) {
            List<ConsumerRecord<String, String>> received = pollAtLeast(client, count);
            AtomicInteger threadNumber = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(8,
                    task -> new Thread(task, "ack-" + threadNumber.incrementAndGet()));
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int first = t;
                    done.add(threads.submit(() -> {
                        go.await();
                        for (int i = first; i < received.size(); i += 8) {
                            client.processed(received.get(i));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> future : done) {
                    future.get(30, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            KmqClientMetrics metrics = client.metrics();
            assertEquals(count, metrics.processed());
            assertEquals(0, metrics.inFlight());
            assertEquals(Duration.ZERO, metrics.oldestInFlightAge());
        }

        Map<MarkerKey, List<Marker>> byRecord = byRecord(readMarkers(kafka, config.markersTopic(), PARTITIONS,
                2 * count));
        assertEquals(count, byRecord.size());
        byRecord.forEach((key, markers) -> assertEquals(
                List.of(new Marker.Start(config.messageTimeout()), new Marker.End()), markers, "markers of " + key));
    }

    /**
     * What holds: the records returned and not yet processed, released or rejected never exceed kmq.max.in.flight,
     * not even by one poll batch, and at the limit nextBatch returns nothing until room is made.
     */
    @Test
    void backpressureNeverLetsTheClientHoldMoreThanMaxInFlight(KafkaEnvironment kafka, TestTopic topic) {
        int limit = 10;
        int count = 57;
        KmqConfig config = config(kafka, topic).maxInFlight(limit).build();
        createTopics(config, PARTITIONS);
        produce(kafka, topic.name(), PARTITIONS, count);

        try (KmqClient<String, String> client = client(config)) {
            List<ConsumerRecord<String, String>> held = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            int timesAtLimit = 0;
            long deadline = System.nanoTime() + KafkaTestSupport.PATIENCE.toNanos();
            while (seen.size() < count && System.nanoTime() < deadline) {
                int room = limit - held.size();
                List<ConsumerRecord<String, String>> batch = client.nextBatch(POLL);
                assertTrue(batch.size() <= room, "batch of " + batch.size() + " with room for " + room);
                held.addAll(batch);
                batch.forEach(record -> seen.add(record.value()));
                assertEquals(held.size(), client.metrics().inFlight());
                if (held.size() == limit) {
                    timesAtLimit++;
                    assertEquals(List.of(), client.nextBatch(Duration.ofMillis(20)), "at the limit");
                    for (int i = 0; i < 3; i++) {
                        client.processed(held.remove(0));
                    }
                }
            }
            assertEquals(count, seen.size());
            assertEquals(count, new HashSet<>(seen).size(), "no record was returned twice");
            assertTrue(timesAtLimit >= 3, "reached the limit " + timesAtLimit + " times");
        }
    }

    @Test
    void releaseRejectAndExtendWriteTheirMarkers(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).markerRanges(false).build();
        createTopics(config, 1);
        produce(kafka, topic.name(), 1, 3);
        String longReason = "x".repeat(MarkerCodec.MAX_REASON_BYTES + 100);

        List<ConsumerRecord<String, String>> received;
        try (KmqClient<String, String> client = client(config)) {
            received = pollAtLeast(client, 3);
            client.release(received.get(0), Duration.ofSeconds(2));
            client.reject(received.get(1), longReason);
            client.extend(received.get(2), Duration.ofSeconds(90));
            assertEquals(1, client.metrics().inFlight(), "an extended record stays in flight");
            client.processed(received.get(2));
            KmqClientMetrics metrics = client.metrics();
            assertEquals(List.of(1L, 1L, 1L, 1L, 0L), List.of(metrics.released(), metrics.rejected(),
                    metrics.extended(), metrics.processed(), (long) metrics.inFlight()));
        }

        Map<MarkerKey, List<Marker>> byRecord = byRecord(readMarkers(kafka, config.markersTopic(), 1, 7));
        Marker.Start start = new Marker.Start(config.messageTimeout());
        assertEquals(List.of(start, new Marker.Release(Duration.ofSeconds(2))), byRecord.get(keyOf(received.get(0))));
        assertEquals(List.of(start, new Marker.Reject("x".repeat(MarkerCodec.MAX_REASON_BYTES))),
                byRecord.get(keyOf(received.get(1))));
        assertEquals(List.of(start, new Marker.Extend(Duration.ofSeconds(90)), new Marker.End()),
                byRecord.get(keyOf(received.get(2))));
    }

    @Test
    void committedOffsetsKeepProcessedRecordsFromBeingPolledAgain(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        createTopics(config, PARTITIONS);
        produce(kafka, topic.name(), PARTITIONS, 10);
        try (KmqClient<String, String> first = client(config)) {
            pollAtLeast(first, 10).forEach(first::processed);
        }
        produce(kafka, topic.name(), 5, i -> new ProducerRecord<>(topic.name(), i % PARTITIONS, "k", "later-" + i));

        try (KmqClient<String, String> second = client(config)) {
            List<ConsumerRecord<String, String>> received = pollAtLeast(second, 5);
            received.addAll(second.nextBatch(Duration.ofMillis(500)));
            assertEquals(Set.of("later-0", "later-1", "later-2", "later-3", "later-4"),
                    received.stream().map(ConsumerRecord::value).collect(Collectors.toSet()));
            assertEquals(5, received.size());
        }
    }

    @Test
    void offsetsAreCommittedWhileTheClientRunsNotOnlyOnClose(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        createTopics(config, PARTITIONS);
        produce(kafka, topic.name(), PARTITIONS, 12);
        try (KmqClient<String, String> client = client(config);
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            pollAtLeast(client, 12).forEach(client::processed);
            org.awaitility.Awaitility.await().atMost(KafkaTestSupport.PATIENCE).until(() -> {
                client.nextBatch(Duration.ofMillis(50)); // the commit is asynchronous: confirmed during polls
                return admin.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata().get()
                        .values().stream().mapToLong(offset -> offset.offset()).sum() == 12;
            });
        }
    }

    @Test
    void failedStartMarkersMakeTheBatchBePolledAgain(KafkaEnvironment kafka, TestTopic topic) {
        failedStartMarkers(kafka, topic, true);
    }

    @Test
    void failedStartMarkersOfRecordsHandedOutAtOnceMakeThemBeDeliveredAgain(KafkaEnvironment kafka, TestTopic topic) {
        failedStartMarkers(kafka, topic, false);
    }

    /**
     * Every START marker fails until the producer is healed: with {@code awaitBeforeHandout} nothing is handed out
     * before nextBatch throws, else the records are handed out and a later call throws; after healing, all 20 come.
     */
    private void failedStartMarkers(KafkaEnvironment kafka, TestTopic topic, boolean awaitBeforeHandout) {
        KmqConfig config = config(kafka, topic).awaitStartBeforeHandout(awaitBeforeHandout).build();
        createTopics(config, PARTITIONS);
        produce(kafka, topic.name(), PARTITIONS, 20);
        MockClients.FailingProducer producer = new MockClients.FailingProducer();
        producer.failWhen = record -> true;
        KafkaClientFactory clients = new KafkaClientFactory() {
            @Override
            public <K, V> Consumer<K, V> consumer(Map<String, Object> properties, Deserializer<K> keys,
                                                  Deserializer<V> values) {
                return KafkaClientFactory.DEFAULT.consumer(properties, keys, values);
            }

            @Override
            public Producer<byte[], byte[]> producer(Map<String, Object> properties) {
                return producer;
            }

            @Override
            public Admin admin(Map<String, Object> properties) {
                return KafkaClientFactory.DEFAULT.admin(properties);
            }
        };

        try (KmqClient<String, String> client = new KmqClient<>(config, new StringDeserializer(),
                new StringDeserializer(), clients, Clock.systemUTC(), true)) {
            KmqException failure = null;
            List<ConsumerRecord<String, String>> handedOut = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + KafkaTestSupport.PATIENCE.toNanos();
            while (failure == null && System.nanoTime() < deadline) {
                try {
                    handedOut.addAll(client.nextBatch(POLL));
                } catch (KmqException e) {
                    failure = e;
                }
            }
            assertTrue(failure != null && failure.topic().orElseThrow().equals(topic.name()), "" + failure);
            assertTrue(failure.offset() >= 0 && failure.partition() >= 0);
            assertEquals(awaitBeforeHandout, handedOut.isEmpty(), "handed out before the START was acknowledged");
            assertEquals(handedOut.size(), client.metrics().inFlight());
            assertEquals(0, client.metrics().started());

            producer.failWhen = record -> false;
            List<ConsumerRecord<String, String>> received = pollAtLeast(client, 20);
            assertEquals(20, received.size());
            assertEquals(IntStream.range(0, 20).mapToObj(i -> "value-" + i).collect(Collectors.toSet()),
                    received.stream().map(ConsumerRecord::value).collect(Collectors.toSet()));
        }
    }

    @Test
    void missingMarkersTopicFailsAtConstruction(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        kafka.createTopic(config.topic(), 2);
        kafka.createTopic(config.deadLetterTopic(), 2);
        KmqException e = assertThrows(KmqException.class, () -> client(config));
        assertEquals("markers topic " + config.markersTopic()
                + " (kmq.markers.topic) does not exist (expected: an existing topic; "
                + "create it with KmqAdmin.createTopics)", e.getMessage());
    }

    @Test
    void markersTopicWithOtherPartitionCountFailsAtConstruction(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        kafka.createTopic(config.topic(), 2);
        kafka.createTopic(config.markersTopic(), 3, Map.of("message.timestamp.type", "LogAppendTime"));
        kafka.createTopic(config.deadLetterTopic(), 2);
        KmqException e = assertThrows(KmqException.class, () -> client(config));
        assertEquals("markers topic " + config.markersTopic() + " (kmq.markers.topic) has 3 partitions but "
                + "message topic " + config.topic() + " (kmq.topic) has 2 (expected: equal)", e.getMessage());
    }

    @Test
    void micrometerMetersFollowTheClient(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).build();
        createTopics(config, 1);
        produce(kafka, topic.name(), 1, 6);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KmqClient<String, String> client = client(config)) {
            KmqMicrometer.bind(client, registry);
            List<ConsumerRecord<String, String>> received = pollAtLeast(client, 6);
            client.processed(received.get(0));
            client.processed(received.get(1));
            client.release(received.get(2), Duration.ZERO);
            client.reject(received.get(3), "bad");
            client.extend(received.get(4), Duration.ofSeconds(5));
            Awaitility.await().atMost(KafkaTestSupport.PATIENCE).until(() -> client.metrics().started() == 6);

            Map<String, Double> counters = Map.of("polled", 6.0, "started", 6.0, "processed", 2.0, "released", 1.0,
                    "rejected", 1.0, "extended", 1.0, "marker.send.failures", 0.0);
            counters.forEach((name, expected) -> assertEquals(expected,
                    registry.get("kmq.client." + name).tag("topic", topic.name()).tag("group", config.groupId())
                            .functionCounter().count(), name));
            assertEquals(2.0, registry.get("kmq.client.in.flight").gauge().value());
            assertTrue(registry.get("kmq.client.oldest.in.flight.age").timeGauge().value(TimeUnit.MILLISECONDS) >= 0);
        }
    }
}
