package io.kmq.redelivery;

import static io.kmq.redelivery.TrackerFixture.AWAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.redelivery.internal.KafkaRecordReader;
import io.kmq.redelivery.internal.RecordReader;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Tracker restarts and crashes: no redelivery of acknowledged messages, exactly one of each due message. */
@KafkaTest
class TrackerRestartIntegrationTest {

    /**
     * Original kmq issue #158: after a restart the tracker redelivered messages whose END it had not read yet. Here
     * the tracker is down for longer than the timeout while the client acknowledges (in time) 90 of 100 messages.
     */
    @Test
    @SuppressWarnings("try") // the restarted tracker only has to run
    void restartAfterDowntimeLongerThanTheTimeoutRedeliversOnlyUnackedMessages(KafkaEnvironment kafka,
                                                                               TestTopic topic)
            throws InterruptedException {
        Duration timeout = Duration.ofSeconds(6);
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), timeout, 3);
        TrackerFixture.createTopics(kafka, config, 2);
        TrackerSettings settings = TrackerFixture.settings(topic.name());
        try (MarkerClient producer = new MarkerClient(kafka, config, 2);
             KmqClient<String, String> client = TrackerFixture.client(config)) {
            List<ConsumerRecord<String, String>> batch;
            try (RedeliveryTracker tracker = RedeliveryTracker.start(settings, config)) {
                TrackerFixture.awaitCaughtUp(tracker);
                for (int i = 0; i < 100; i++) {
                    producer.produce(i % 2, "k" + i, "v" + i);
                }
                batch = TrackerFixture.next(client, 100);
                await().atMost(AWAIT).until(() -> tracker.metrics().inFlight() == 100);
            }
            long stopped = System.currentTimeMillis();
            Set<String> unacked = new HashSet<>();
            for (ConsumerRecord<String, String> record : batch) {
                if (Integer.parseInt(record.value().substring(1)) % 10 == 0) {
                    unacked.add(record.value());
                } else {
                    client.processed(record);
                }
            }
            assertTrue(System.currentTimeMillis() - stopped < timeout.toMillis() / 2, "acks must be in time");
            Thread.sleep(timeout.toMillis() + 1_000);

            try (RedeliveryTracker tracker = RedeliveryTracker.start(settings, config)) {
                List<ConsumerRecord<String, String>> redelivered = TrackerFixture.nextProcessed(client,
                        unacked.size());
                redelivered.addAll(TrackerFixture.drain(client, Duration.ofSeconds(2)));
                assertEquals(unacked, redelivered.stream().map(ConsumerRecord::value).collect(Collectors.toSet()));
                assertEquals(unacked.size(), redelivered.size(), "each unacked message redelivered once");
            }
        }
    }

    /**
     * A stream thread dies in the middle of a transaction that already holds redeliveries: the transaction is
     * aborted, the state restored, and every due message ends up redelivered exactly once.
     */
    @Test
    void streamThreadCrashMidRedeliveryRedeliversEachDueMessageExactlyOnce(KafkaEnvironment kafka,
                                                                           TestTopic topic) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, config, 1);
        TrackerSettings settings = TrackerFixture.settings(topic.name()).toBuilder()
                .maxActionsPerPunctuation(5).commitInterval(Duration.ofSeconds(5))
                // the dead thread's consumer stays in the group until its session times out: keep that short
                .streamsProperty("session.timeout.ms", 6000).streamsProperty("heartbeat.interval.ms", 1000)
                .build();
        AtomicInteger reads = new AtomicInteger();
        Function<Map<String, Object>, RecordReader.Factory> crashing = connection -> clientId -> new CrashingReader(
                KafkaRecordReader.factory(connection, settings.readerPollTimeout()).create(clientId), reads, 3);
        try (MarkerClient producer = new MarkerClient(kafka, config, 1);
             KmqClient<String, String> client = TrackerFixture.client(config);
             RedeliveryTracker tracker = RedeliveryTracker.start(settings, List.of(config), crashing)) {
            TrackerFixture.awaitCaughtUp(tracker);
            for (int i = 0; i < 40; i++) {
                producer.produce(0, "k" + i, "v" + i);
            }
            TrackerFixture.next(client, 40);

            List<ConsumerRecord<String, String>> redelivered = TrackerFixture.nextProcessed(client, 40);
            redelivered.addAll(TrackerFixture.drain(client, Duration.ofSeconds(3)));
            assertTrue(reads.get() > 3, "the reader crashed once and was used again afterwards");
            Map<String, Integer> counts = new HashMap<>();
            redelivered.forEach(r -> counts.merge(r.value(), 1, Integer::sum));
            assertEquals(40, counts.size());
            assertTrue(counts.values().stream().allMatch(c -> c == 1), "each message exactly once: " + counts);
            assertTrue(redelivered.stream().allMatch(r -> KmqHeaders.redeliveryCount(r.headers()) == 1));
        }
    }

    /**
     * Two instances with one application id split the markers partitions; when one closes, the other takes its
     * partitions over (with their state) and redelivers what is due there.
     */
    @Test
    @SuppressWarnings("try") // instance a is closed early on purpose: that is the failover
    void instancesShareThePartitionsAndTakeOverFromEachOther(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, config, 2);
        TrackerSettings first = TrackerFixture.settings(topic.name());
        TrackerSettings second = first.toBuilder()
                .stateDir(first.stateDir().orElseThrow().resolveSibling(topic.name() + "-second")).build();
        try (MarkerClient producer = new MarkerClient(kafka, config, 2);
             KmqClient<String, String> client = TrackerFixture.client(config);
             RedeliveryTracker a = RedeliveryTracker.start(first, config);
             RedeliveryTracker b = RedeliveryTracker.start(second, config)) {
            await().atMost(AWAIT).until(() -> a.isCaughtUp() && b.isCaughtUp()
                    && a.metrics().markersLag() == 0 && b.metrics().markersLag() == 0);
            producer.produce(0, "k", "p0-first");
            producer.produce(1, "k", "p1-first");
            TrackerFixture.next(client, 2);
            List<ConsumerRecord<String, String>> redelivered = TrackerFixture.nextProcessed(client, 2);
            assertEquals(Set.of("p0-first", "p1-first"), redelivered.stream().map(ConsumerRecord::value)
                    .collect(Collectors.toSet()));
            assertEquals(2, a.metrics().redeliveries() + b.metrics().redeliveries());
            assertTrue(a.metrics().redeliveries() == 1 && b.metrics().redeliveries() == 1,
                    "one partition each: " + a.metrics() + " / " + b.metrics());

            producer.produce(0, "k", "p0-second");
            producer.produce(1, "k", "p1-second");
            TrackerFixture.next(client, 2);
            a.close();
            // acknowledged as they come: b redelivers its own partition while it still takes over a's
            List<String> afterFailover = new ArrayList<>();
            TrackerFixture.nextProcessed(client, 2).forEach(r -> afterFailover.add(r.value()));
            TrackerFixture.drain(client, Duration.ofSeconds(2)).forEach(r -> afterFailover.add(r.value()));
            assertEquals(Set.of("p0-second", "p1-second"), Set.copyOf(afterFailover));
            assertEquals(2, afterFailover.size(), "each once: " + afterFailover);
        }
    }

    /** Delegates to a real reader but throws at the {@code crashAt}-th read overall, killing the stream thread. */
    private static final class CrashingReader implements RecordReader {
        private final RecordReader delegate;
        private final AtomicInteger reads;
        private final int crashAt;

        CrashingReader(RecordReader delegate, AtomicInteger reads, int crashAt) {
            this.delegate = delegate;
            this.reads = reads;
            this.crashAt = crashAt;
        }

        @Override
        public Result read(TopicPartition partition, SortedSet<Long> offsets) {
            if (reads.incrementAndGet() == crashAt) {
                throw new IllegalStateException("simulated crash at read " + crashAt + " of "
                        + new TreeSet<>(offsets));
            }
            return delegate.read(partition, offsets);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
