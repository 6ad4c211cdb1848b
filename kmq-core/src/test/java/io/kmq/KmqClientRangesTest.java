package io.kmq;

import static io.kmq.KafkaTestSupport.PATIENCE;
import static io.kmq.KafkaTestSupport.config;
import static io.kmq.KafkaTestSupport.createTopics;
import static io.kmq.KafkaTestSupport.pollAtLeast;
import static io.kmq.KafkaTestSupport.produce;
import static io.kmq.KafkaTestSupport.readMarkers;
import static io.kmq.KafkaTestSupport.readRawMarkers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KafkaTestSupport.ReadMarker;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Range markers, coalesced acknowledgments and pipelining against a real broker. */
@KafkaTest
class KmqClientRangesTest {

    private static final int PARTITIONS = 3;

    private static KmqClient<String, String> client(KmqConfig config) {
        return new KmqClient<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** What one marker says about one offset, once range markers are expanded as the format defines. */
    private enum Said { START, END, OTHER }

    /** Per record, what the markers say about it, in the order of its markers partition. */
    private static Map<MarkerKey, List<Said>> expand(List<ReadMarker> markers) {
        Map<MarkerKey, List<Said>> byRecord = new LinkedHashMap<>();
        for (ReadMarker read : markers) {
            assertEquals(read.key().partition(), read.markersPartition(), "markers partition of " + read);
            Marker marker = read.marker();
            int count = marker instanceof Marker.StartRange range ? range.count()
                    : marker instanceof Marker.EndRange range ? range.count() : 1;
            Said said = marker instanceof Marker.Start || marker instanceof Marker.StartRange ? Said.START
                    : marker instanceof Marker.End || marker instanceof Marker.EndRange ? Said.END : Said.OTHER;
            for (long offset = read.key().offset(); offset < read.key().offset() + count; offset++) {
                byRecord.computeIfAbsent(new MarkerKey(read.key().partition(), offset), k -> new ArrayList<>())
                        .add(said);
            }
        }
        return byRecord;
    }

    private static MarkerKey keyOf(ConsumerRecord<?, ?> record) {
        return new MarkerKey(record.partition(), record.offset());
    }

    @Test
    void startRangesCoverEachRunOfABatchAndSplitAtOffsetGaps(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        KmqConfig config = config(kafka, topic).messageTimeout(Duration.ofSeconds(40)).prefetchBatches(0).build();
        createTopics(config, PARTITIONS);
        Map<String, Object> transactional = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic.derived("tx"),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000", ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(transactional, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (int transaction = 0; transaction < 3; transaction++) { // each commit marker takes an offset
                producer.beginTransaction();
                for (int i = 0; i < 4; i++) {
                    producer.send(new ProducerRecord<>(topic.name(), 0, "k", "tx" + transaction + "-" + i));
                }
                producer.commitTransaction();
            }
        }
        produce(kafka, topic.name(), 5, i -> new ProducerRecord<>(topic.name(), 1, "k", "plain-" + i));

        List<ConsumerRecord<String, String>> received;
        try (KmqClient<String, String> client = client(config)) {
            received = pollAtLeast(client, 17);
        }

        assertEquals(List.of(0L, 1L, 2L, 3L, 5L, 6L, 7L, 8L, 10L, 11L, 12L, 13L), received.stream()
                .filter(r -> r.partition() == 0).map(ConsumerRecord::offset).toList());
        List<ReadMarker> markers = readMarkers(kafka, config.markersTopic(), PARTITIONS, 4);
        for (ReadMarker marker : markers) {
            Marker.StartRange range = assertInstanceOf(Marker.StartRange.class, marker.marker());
            assertEquals(config.messageTimeout(), range.timeout());
        }
        Map<MarkerKey, List<Said>> said = expand(markers);
        assertEquals(received.stream().map(KmqClientRangesTest::keyOf).collect(Collectors.toSet()), said.keySet(),
                "START_RANGE markers cover exactly the records, never a transaction marker's offset");
        said.forEach((key, list) -> assertEquals(List.of(Said.START), list, "markers of " + key));
        assertTrue(markers.size() <= received.size() / 3, markers.size() + " START_RANGE markers for "
                + received.size() + " records in runs of 4 and 5");
    }

    /**
     * With leftovers flushed only after a minute, what is written is one END_RANGE per completed run, or per stretch of
     * consecutive runs completed together: never a fragment of a run (START markers one per poll, not coalesced, so
     * that each START_RANGE is one run).
     */
    @Test
    void acknowledgmentsInAnyOrderAreCoalescedIntoOneEndRangePerRun(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).messageTimeout(Duration.ofMinutes(5))
                .ackFlushInterval(Duration.ofMinutes(1)).startCoalesce(false).build();
        createTopics(config, PARTITIONS);
        int count = 600;
        produce(kafka, topic.name(), PARTITIONS, count);

        try (KmqClient<String, String> client = client(config)) {
            List<ConsumerRecord<String, String>> received = new ArrayList<>(pollAtLeast(client, count));
            Collections.shuffle(received, new Random(7));
            received.forEach(client::processed);
            assertEquals(0, client.metrics().inFlight());
        }

        List<ReadMarker> markers = readMarkers(kafka, config.markersTopic(), PARTITIONS, 2);
        Map<MarkerKey, List<Said>> said = expand(markers);
        assertEquals(count, said.size());
        said.forEach((key, list) -> assertEquals(List.of(Said.START, Said.END), list, "markers of " + key));
        Set<MarkerKey> runBoundaries = new java.util.HashSet<>();
        Map<MarkerKey, Integer> ends = new HashMap<>();
        int runs = 0;
        for (ReadMarker marker : markers) {
            if (marker.marker() instanceof Marker.StartRange range) {
                runs++;
                runBoundaries.add(marker.key());
                runBoundaries.add(new MarkerKey(marker.key().partition(), marker.key().offset() + range.count()));
            } else {
                ends.put(marker.key(), marker.marker() instanceof Marker.EndRange range ? range.count() : 1);
            }
        }
        ends.forEach((key, covered) -> assertTrue(runBoundaries.contains(key)
                && runBoundaries.contains(new MarkerKey(key.partition(), key.offset() + covered)),
                "END of " + covered + " from " + key + " covers whole runs; runs bounded by " + runBoundaries));
        assertTrue(ends.size() <= runs, ends.size() + " END markers for " + runs + " runs");
    }

    /**
     * START coalescing (the default): the START_RANGE markers of many small consecutive polls of a partition are held
     * open (here nothing flushes them for a minute) and written as one per partition, and still before the END or
     * RELEASE of any of their records.
     */
    @Test
    void startsOfConsecutivePollsAreCoalescedAndWrittenBeforeTheirOtherMarkers(KafkaEnvironment kafka,
                                                                                TestTopic topic) {
        KmqConfig config = config(kafka, topic).messageTimeout(Duration.ofMinutes(5))
                .ackFlushInterval(Duration.ofMinutes(1)).startSkipProcessed(false).set("max.poll.records", 4).build();
        createTopics(config, PARTITIONS);
        int count = 60;
        produce(kafka, topic.name(), PARTITIONS, count);

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        int polls = 0;
        try (KmqClient<String, String> client = client(config)) {
            while (received.size() < count) {
                List<ConsumerRecord<String, String>> batch = pollAtLeast(client, 1);
                received.addAll(batch);
                polls++;
            }
            assertEquals(0, client.metrics().started(), "no START written yet: all held open");
            for (ConsumerRecord<String, String> record : received) {
                if (record.offset() == 2) {
                    client.release(record, Duration.ofMinutes(1));
                } else {
                    client.processed(record);
                }
            }
        }

        List<ReadMarker> markers = readMarkers(kafka, config.markersTopic(), PARTITIONS, PARTITIONS + 1);
        long starts = markers.stream().filter(marker -> marker.marker() instanceof Marker.StartRange).count();
        assertTrue(polls >= count / 4, polls + " polls");
        assertEquals(PARTITIONS, starts, "one START_RANGE per partition for " + polls + " polls");
        Map<MarkerKey, List<Said>> said = expand(markers);
        for (ConsumerRecord<String, String> record : received) {
            List<Said> expected = record.offset() == 2 ? List.of(Said.START, Said.OTHER)
                    : List.of(Said.START, Said.END);
            assertEquals(expected, said.get(keyOf(record)), "markers of " + record);
        }
    }

    /**
     * A batch acknowledged at once is acknowledged as record by record: one START and one END per record, none left
     * in flight; a batch with a record of another topic is refused whole.
     */
    @Test
    void aBatchAcknowledgedAtOnceIsRefusedWholeOrAcknowledgedInFull(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).messageTimeout(Duration.ofMinutes(5)).startSkipProcessed(false).build();
        createTopics(config, PARTITIONS);
        int count = 300;
        produce(kafka, topic.name(), PARTITIONS, count);

        try (KmqClient<String, String> client = client(config)) {
            List<ConsumerRecord<String, String>> received = new ArrayList<>(pollAtLeast(client, count));
            List<ConsumerRecord<String, String>> withForeign = new ArrayList<>(received);
            withForeign.add(new ConsumerRecord<>(topic.name() + "-other", 0, 0, "k", "v"));
            assertThrows(IllegalArgumentException.class, () -> client.processedAll(withForeign));
            assertEquals(count, client.metrics().inFlight(), "nothing acknowledged");

            Collections.shuffle(received, new Random(11));
            client.processedAll(received);
            assertEquals(0, client.metrics().inFlight());
            client.processedAll(List.of());
        }

        Map<MarkerKey, List<Said>> said = expand(readMarkers(kafka, config.markersTopic(), PARTITIONS, 2));
        assertEquals(count, said.size());
        said.forEach((key, list) -> assertEquals(List.of(Said.START, Said.END), list, "markers of " + key));
    }

    @Test
    void closeWritesAcknowledgmentsNotYetFlushed(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).messageTimeout(Duration.ofMinutes(5))
                .ackFlushInterval(Duration.ofMinutes(1)).startSkipProcessed(false).build();
        Map<MarkerKey, List<Said>> said = new LinkedHashMap<>();
        Set<MarkerKey> acknowledged = new java.util.HashSet<>();
        List<ConsumerRecord<String, String>> received = acknowledgeEveryOtherAndClose(kafka, topic, config, said,
                acknowledged);
        for (ConsumerRecord<String, String> record : received) {
            List<Said> expected = acknowledged.contains(keyOf(record)) ? List.of(Said.START, Said.END)
                    : List.of(Said.START);
            assertEquals(expected, said.get(keyOf(record)), "markers of " + record);
        }
    }

    /**
     * kmq.start.skip.processed (the default): records processed while their START_RANGE is held open get no marker
     * at all; the others get a START, one per stretch between processed ones, and the offsets of all are committed.
     */
    @Test
    void recordsProcessedBeforeTheirStartIsWrittenGetNoMarker(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        KmqConfig config = config(kafka, topic).messageTimeout(Duration.ofMinutes(5))
                .ackFlushInterval(Duration.ofMinutes(1)).build();
        Map<MarkerKey, List<Said>> said = new LinkedHashMap<>();
        Set<MarkerKey> acknowledged = new java.util.HashSet<>();
        List<ConsumerRecord<String, String>> received = acknowledgeEveryOtherAndClose(kafka, topic, config, said,
                acknowledged);
        for (ConsumerRecord<String, String> record : received) {
            List<Said> expected = acknowledged.contains(keyOf(record)) ? null : List.of(Said.START);
            assertEquals(expected, said.get(keyOf(record)), "markers of " + record);
        }
        Map<TopicPartition, Long> lastOffsets = new HashMap<>();
        received.forEach(record -> lastOffsets.merge(new TopicPartition(record.topic(), record.partition()),
                record.offset(), Math::max));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.groupId())
                    .partitionsToOffsetAndMetadata().get();
            lastOffsets.forEach((partition, last) -> assertEquals(last + 1, committed.get(partition).offset(),
                    "committed offset of " + partition));
        }
    }

    /**
     * Polls the 30 records of a new topic, acknowledges those of even offsets (no run is complete, so everything
     * waits for the flush interval of {@code config}), closes the client and reads the markers written.
     */
    private List<ConsumerRecord<String, String>> acknowledgeEveryOtherAndClose(KafkaEnvironment kafka,
            TestTopic topic, KmqConfig config, Map<MarkerKey, List<Said>> said, Set<MarkerKey> acknowledged) {
        createTopics(config, PARTITIONS);
        produce(kafka, topic.name(), PARTITIONS, 30);
        List<ConsumerRecord<String, String>> received;
        try (KmqClient<String, String> client = client(config)) {
            received = pollAtLeast(client, 30);
            for (ConsumerRecord<String, String> record : received) {
                if (record.offset() % 2 == 0) {
                    client.processed(record);
                    acknowledged.add(keyOf(record));
                }
            }
            assertEquals(0, client.metrics().started(), "nothing written before close");
        }
        said.putAll(expand(readMarkers(kafka, config.markersTopic(), PARTITIONS, 2)));
        return received;
    }

    @Test
    void perMessageModeWritesTheOriginalKmqBytes(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).markerRanges(false).messageTimeout(Duration.ofMillis(0x0102))
                .build();
        createTopics(config, PARTITIONS);
        produce(kafka, topic.name(), PARTITIONS, 12);
        try (KmqClient<String, String> client = client(config)) {
            pollAtLeast(client, 12).forEach(client::processed);
        }
        List<ConsumerRecord<byte[], byte[]>> raw = readRawMarkers(kafka, config.markersTopic(), PARTITIONS, 24);
        assertEquals(24, raw.size());
        Map<String, Integer> kinds = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> marker : raw) {
            assertEquals(12, marker.key().length);
            String value = java.util.HexFormat.of().formatHex(marker.value());
            assertTrue(value.equals("00") || value.equals("010000000000000102"), value);
            kinds.merge(value, 1, Integer::sum);
        }
        assertEquals(Map.of("00", 12, "010000000000000102", 12), kinds);
    }

    /**
     * Closing with records prefetched (committed or not) leaves the group's offset at the first record not returned,
     * writes END for the rest, and the next client of the group gets every record not returned.
     */
    @Test
    void closeCommitsBackToTheFirstPrefetchedRecordAndLosesNone(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        KmqConfig config = config(kafka, topic).prefetchBatches(4).awaitStartBeforeHandout(true)
                .set(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10)
                .build();
        createTopics(config, 1);
        produce(kafka, topic.name(), 1, 100);

        List<ConsumerRecord<String, String>> first;
        KmqClientMetrics metrics;
        try (KmqClient<String, String> client = client(config)) {
            first = pollAtLeast(client, 1);
            metrics = client.metrics();
        }
        long handedOut = first.size();
        assertEquals(LongStream.range(0, handedOut).boxed().toList(), first.stream().map(ConsumerRecord::offset)
                .toList());
        assertTrue(metrics.polled() > handedOut, "records were prefetched: " + metrics);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.groupId())
                    .partitionsToOffsetAndMetadata().get();
            assertEquals(handedOut, committed.get(new TopicPartition(topic.name(), 0)).offset());
        }
        Map<MarkerKey, List<Said>> said = expand(readMarkers(kafka, config.markersTopic(), 1, 1));
        for (long offset = handedOut; offset < metrics.polled(); offset++) {
            assertEquals(List.of(Said.START, Said.END), said.get(new MarkerKey(0, offset)),
                    "prefetched offset " + offset + " gets an END on close: the tracker forgets it");
        }

        try (KmqClient<String, String> next = client(config)) {
            List<Long> offsets = pollAtLeast(next, 100 - first.size()).stream().map(ConsumerRecord::offset).toList();
            assertEquals(LongStream.range(handedOut, 100).boxed().toList(), offsets);
        }
    }

    /**
     * Two clients of one group share the partitions while both hold prefetched records: whatever rebalances revoke,
     * every record is processed and no record is left with a START and no END (the tracker would redeliver it).
     */
    @Test
    void revocationOfPartitionsWithPrefetchedRecordsLosesNothing(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        revocationLosesNothing(kafka, topic, true);
    }

    /** With records handed out before their STARTs are acknowledged, revocation waits for them and commits. */
    @Test
    void revocationOfPartitionsWithRecordsHandedOutAtOnceLosesNothing(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        revocationLosesNothing(kafka, topic, false);
    }

    /**
     * Client a holds records (prefetched, or handed out with STARTs in flight) when b joins and takes some of its
     * partitions: every record is processed, and each ends with an END marker.
     */
    private void revocationLosesNothing(KafkaEnvironment kafka, TestTopic topic, boolean awaitBeforeHandout)
            throws Exception {
        int partitions = 4;
        int count = 2_000;
        KmqConfig config = config(kafka, topic).prefetchBatches(4).awaitStartBeforeHandout(awaitBeforeHandout)
                .set(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10)
                .build();
        createTopics(config, partitions);
        produce(kafka, topic.name(), partitions, count);
        Set<String> processed = ConcurrentHashMap.newKeySet();

        try (KmqClient<String, String> a = client(config)) {
            pollAtLeast(a, 1).forEach(record -> {
                processed.add(record.value());
                a.processed(record);
            });
            if (awaitBeforeHandout) {
                assertTrue(a.metrics().polled() > a.metrics().processed(), "a holds prefetched records");
            }
            Thread b = new Thread(() -> {
                try (KmqClient<String, String> client = client(config)) {
                    while (processed.size() < count) {
                        for (ConsumerRecord<String, String> record : client.nextBatch(Duration.ofMillis(50))) {
                            processed.add(record.value());
                            client.processed(record);
                        }
                    }
                }
            }, "client-b");
            b.start();
            Awaitility.await().pollInSameThread().atMost(PATIENCE.multipliedBy(2)).until(() -> {
                for (ConsumerRecord<String, String> record : a.nextBatch(Duration.ofMillis(50))) {
                    processed.add(record.value());
                    a.processed(record);
                }
                return processed.size() == count;
            });
            b.join(PATIENCE.toMillis());
        }

        assertEquals(IntStream.range(0, count).mapToObj(i -> "value-" + i).collect(Collectors.toSet()), processed);
        Map<MarkerKey, List<Said>> said = expand(readMarkers(kafka, config.markersTopic(), partitions,
                awaitBeforeHandout ? 2 : 0));
        if (awaitBeforeHandout) {
            assertEquals(count, said.size(), "every record has markers (no START is held open in this mode)");
        } // else records processed before their START left have none (kmq.start.skip.processed)
        said.forEach((key, list) -> assertEquals(Said.END, list.get(list.size() - 1),
                "the last marker of " + key + " of " + list + " ends it"));
    }

    private static <T> T assertInstanceOf(Class<T> type, Object value) {
        assertTrue(type.isInstance(value), value + " (expected: a " + type.getSimpleName() + ")");
        return type.cast(value);
    }
}
