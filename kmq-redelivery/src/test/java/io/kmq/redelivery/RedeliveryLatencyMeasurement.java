package io.kmq.redelivery;

import static io.kmq.redelivery.TrackerFixture.AWAIT;
import static org.awaitility.Awaitility.await;

import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import io.kmq.redelivery.internal.KafkaRecordReader;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures how late redeliveries come, for the current tracker and, side by side on the same broker and load, for
 * the tracker as it was before the latency work of issue #4 ({@code punctuationOnly}: acting and ticking only at
 * punctuations, ticks in the transaction). Reported: the delay beyond the timeout (redelivery record timestamp minus
 * START broker time minus timeout; and until a {@code read_committed} consumer has it) over many timed-out messages,
 * and the time from a tracker restart to its first redelivery. Not part of the normal suite: run with
 * {@code -Dkmq.measure=true -Dtest=RedeliveryLatencyMeasurement}; results go to stdout and
 * {@code target/redelivery-latency.txt}. All clocks are this machine's (broker in-process).
 */
@KafkaTest
@EnabledIfSystemProperty(named = "kmq.measure", matches = "true")
class RedeliveryLatencyMeasurement {

    private static final int MESSAGES = 2000;
    private static final int WARMUP_MESSAGES = 500;
    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(5);
    private static final int RESTARTS = 3;

    @Test
    void delayBeyondTheTimeout(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        Side current = new Side(kafka, topic.derived("current"), false);
        Side before = new Side(kafka, topic.derived("before"), true);
        try (current; before; KafkaProducer<byte[], byte[]> producer = TrackerFixture.producer(kafka)) {
            TrackerFixture.awaitCaughtUp(current.tracker);
            TrackerFixture.awaitCaughtUp(before.tracker);
            // a warm-up round, not counted: the first seconds of a cold JVM (JIT of tracker, broker and clients,
            // the readers' first fetches) are slower than any later redelivery
            timeOut(producer, List.of(current, before), WARMUP_MESSAGES);
            for (Side side : List.of(current, before)) {
                report(side.label() + " warm-up round (not counted below), " + WARMUP_MESSAGES + " messages "
                        + "(redelivery record timestamp)", side.delays(false));
                report(side.label() + " warm-up round (received)", side.delays(true));
                side.arrived.clear();
            }
            timeOut(producer, List.of(current, before), MESSAGES);
        }
        for (Side side : List.of(current, before)) {
            String what = side.label() + " delay beyond a " + TIMEOUT.toMillis()
                    + " ms timeout, " + MESSAGES + " messages (after " + WARMUP_MESSAGES + " not counted) on "
                    + PARTITIONS + " partitions, punctuation 100 ms, "
                    + "commit " + measuredSettings("label").commitInterval().toMillis() + " ms; ticks sent: "
                    + side.ticks;
            report(what + " (redelivery record timestamp)", side.delays(false));
            report(what + " (received by a read_committed consumer)", side.delays(true));
        }
    }

    /**
     * Sends {@code count} messages with a START each to both sides, the STARTs spread over ~5 s or more so that some
     * deadlines pass while markers flow and the last ones on partitions gone idle (proven by ticks); returns once
     * both sides have redelivered them all.
     */
    private static void timeOut(KafkaProducer<byte[], byte[]> producer, List<Side> sides, int count)
            throws Exception {
        for (int i = 0; i < count; i++) {
            for (Side side : sides) {
                RecordMetadata message = TrackerFixture.send(producer, new ProducerRecord<>(side.config.topic(),
                        i % PARTITIONS, ("k" + i).getBytes(), ("v" + i).getBytes()));
                MarkerKey key = new MarkerKey(message.partition(), message.offset());
                byte[] startMarker = MarkerCodec.encodeValue(new Marker.Start(TIMEOUT));
                RecordMetadata written = TrackerFixture.send(producer, new ProducerRecord<>(side.config.markersTopic(),
                        key.partition(), MarkerCodec.encodeKey(key), startMarker));
                side.startTimes.put(key, written.timestamp());
            }
            if (i % 20 == 19) {
                Thread.sleep(50);
            }
        }
        await().atMost(AWAIT).until(() -> sides.stream().allMatch(side -> side.arrived.size() >= count));
    }

    @Test
    @SuppressWarnings("try") // the restarted tracker only has to run
    void restartToFirstRedelivery(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        Map<Boolean, List<Long>> restarts = Map.of(false, new ArrayList<>(), true, new ArrayList<>());
        for (int round = 0; round < 2 * RESTARTS; round++) {
            boolean punctuationOnly = round % 2 == 1;
            String name = topic.derived("r" + round);
            // long enough for the tracker to read all STARTs before it is stopped, before any is due
            KmqConfig config = TrackerFixture.config(kafka, name, RESTART_TIMEOUT, 3);
            TrackerFixture.createTopics(kafka, config, PARTITIONS);
            TrackerSettings settings = measuredSettings(name);
            try (MarkerClient client = new MarkerClient(kafka, config, PARTITIONS);
                 KafkaConsumer<byte[], byte[]> reader = TrackerFixture.reader(kafka, config.topic(), PARTITIONS)) {
                try (RedeliveryTracker tracker = start(kafka, settings, config, punctuationOnly)) {
                    TrackerFixture.awaitCaughtUp(tracker);
                    for (int i = 0; i < 100; i++) {
                        client.produce(i % PARTITIONS, "k" + i, "v" + i);
                    }
                    client.nextBatch(100);
                    await().atMost(AWAIT).until(() -> tracker.metrics().inFlight() == 100);
                }
                Thread.sleep(RESTART_TIMEOUT.toMillis() + 500);
                long restarted = System.currentTimeMillis();
                try (RedeliveryTracker tracker = start(kafka, settings, config, punctuationOnly)) {
                    List<ConsumerRecord<byte[], byte[]>> first = new ArrayList<>();
                    await().atMost(AWAIT).until(() -> {
                        TrackerFixture.poll(reader).stream()
                                .filter(r -> KmqHeaders.redeliveryCount(r.headers()) > 0).forEach(first::add);
                        return !first.isEmpty();
                    });
                    restarts.get(punctuationOnly).add(first.stream().mapToLong(ConsumerRecord::timestamp).min()
                            .orElseThrow() - restarted);
                }
            }
        }
        for (boolean punctuationOnly : List.of(false, true)) {
            report((punctuationOnly ? "BEFORE " : "CURRENT") + " restart to first redelivery (tracker start() call "
                    + "to the first redelivered record), " + RESTARTS + " restarts with 100 overdue messages each, "
                    + "alternating", restarts.get(punctuationOnly));
        }
    }

    /**
     * The fixture's settings, with {@code -Dkmq.measure.commit.interval.ms} and {@code -Dkmq.measure.streams} if given
     * (to compare commit intervals and Streams settings).
     */
    private static TrackerSettings measuredSettings(String name) {
        String commitInterval = System.getProperty("kmq.measure.commit.interval.ms");
        TrackerSettings.Builder settings = TrackerFixture.settings(name).toBuilder();
        if (commitInterval != null) {
            settings.commitInterval(Duration.ofMillis(Long.parseLong(commitInterval)));
        }
        // -Dkmq.measure.streams=key=value;key=value: Kafka Streams overrides to compare (e.g. fetch settings)
        for (String setting : System.getProperty("kmq.measure.streams", "").split(";")) {
            if (!setting.isBlank()) {
                int equals = setting.indexOf('=');
                settings.streamsProperty(setting.substring(0, equals), setting.substring(equals + 1));
            }
        }
        return settings.build();
    }

    private static RedeliveryTracker start(KafkaEnvironment kafka, TrackerSettings settings, KmqConfig config,
                                           boolean punctuationOnly) {
        return RedeliveryTracker.start(settings, List.of(config),
                connection -> KafkaRecordReader.factory(connection, settings.readerPollTimeout()), punctuationOnly);
    }

    /** One tracker with its topics and a thread receiving its redeliveries as they arrive. */
    private static final class Side implements AutoCloseable {
        final KmqConfig config;
        final boolean punctuationOnly;
        final RedeliveryTracker tracker;
        final Map<MarkerKey, Long> startTimes = new ConcurrentHashMap<>();
        /** Redeliveries: partition, original offset, record timestamp, wall time received. */
        final ConcurrentLinkedQueue<long[]> arrived = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread receiver;
        long ticks;

        Side(KafkaEnvironment kafka, String name, boolean punctuationOnly) {
            this.config = TrackerFixture.config(kafka, name, TIMEOUT, 3);
            this.punctuationOnly = punctuationOnly;
            TrackerFixture.createTopics(kafka, config, PARTITIONS);
            this.tracker = start(kafka, measuredSettings(name), config, punctuationOnly);
            KafkaConsumer<byte[], byte[]> reader = TrackerFixture.reader(kafka, config.topic(), PARTITIONS);
            this.receiver = new Thread(() -> {
                try (reader) {
                    while (!stop.get()) {
                        List<ConsumerRecord<byte[], byte[]>> records = TrackerFixture.poll(reader);
                        long received = System.currentTimeMillis();
                        for (ConsumerRecord<byte[], byte[]> record : records) {
                            if (KmqHeaders.redeliveryCount(record.headers()) == 1) {
                                arrived.add(new long[] {record.partition(), KmqHeaders.longValue(record.headers(),
                                        KmqHeaders.ORIGINAL_OFFSET).orElseThrow(), record.timestamp(), received});
                            }
                        }
                    }
                }
            }, "latency-receiver-" + name);
            receiver.start();
        }

        String label() {
            return punctuationOnly ? "BEFORE " : "CURRENT";
        }

        List<Long> delays(boolean untilReceived) {
            List<Long> delays = new ArrayList<>();
            for (long[] redelivery : arrived) {
                long due = startTimes.get(new MarkerKey((int) redelivery[0], redelivery[1])) + TIMEOUT.toMillis();
                delays.add((untilReceived ? redelivery[3] : redelivery[2]) - due);
            }
            return delays;
        }

        @Override
        public void close() throws InterruptedException {
            ticks = tracker.metrics().ticks();
            stop.set(true);
            receiver.join();
            tracker.close();
        }
    }

    private static void report(String what, List<Long> values) throws IOException {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        String line = String.format("%s: n=%d min=%d p50=%d p90=%d p99=%d max=%d ms%n", what, sorted.size(),
                sorted.get(0), percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                sorted.get(sorted.size() - 1));
        System.out.print(line);
        Files.writeString(Path.of("target", "redelivery-latency.txt"), line, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
