package io.kmq.redelivery;

import static io.kmq.redelivery.TrackerFixture.AWAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures how late redeliveries come: the delay beyond the timeout (redelivery time minus START broker time minus
 * timeout; also until a {@code read_committed} consumer has it) over many timed-out messages, and the time from a
 * tracker restart to its first redelivery. Not part of the
 * normal suite: run with {@code -Dkmq.measure=true -Dtest=RedeliveryLatencyMeasurement}; results go to stdout and
 * {@code target/redelivery-latency.txt}. All clocks are this machine's (broker in-process).
 */
@KafkaTest
@EnabledIfSystemProperty(named = "kmq.measure", matches = "true")
class RedeliveryLatencyMeasurement {

    private static final int MESSAGES = 2000;
    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void delayBeyondTheTimeout(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), TIMEOUT, 3);
        TrackerFixture.createTopics(kafka, config, PARTITIONS);
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(topic.name()), config);
             MarkerClient client = new MarkerClient(kafka, config, PARTITIONS);
             KafkaProducer<byte[], byte[]> markers = TrackerFixture.producer(kafka);
             KafkaConsumer<byte[], byte[]> reader = TrackerFixture.reader(kafka, config.topic(), PARTITIONS)) {
            TrackerFixture.awaitCaughtUp(tracker);
            // STARTs spread over ~5 s (400/s), so some deadlines pass while markers flow and the last ones on
            // partitions that went idle (proven by ticks)
            Map<MarkerKey, Long> startTimes = new HashMap<>();
            // redeliveries as they arrive: partition, original offset, record timestamp, wall time received
            ConcurrentLinkedQueue<long[]> arrived = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread receiver = new Thread(() -> {
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
            }, "latency-receiver");
            receiver.start();
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    RecordMetadata message = client.produce(i % PARTITIONS, "k" + i, "v" + i);
                    MarkerKey key = new MarkerKey(message.partition(), message.offset());
                    Future<RecordMetadata> start = markers.send(new ProducerRecord<>(config.markersTopic(),
                            key.partition(), MarkerCodec.encodeKey(key), MarkerCodec.encodeValue(
                            new Marker.Start(TIMEOUT))));
                    startTimes.put(key, start.get().timestamp());
                    if (i % 20 == 19) {
                        Thread.sleep(50);
                    }
                }
                await().atMost(AWAIT).until(() -> arrived.size() >= MESSAGES);
            } finally {
                stop.set(true);
                receiver.join();
            }
            List<Long> delays = new ArrayList<>();
            List<Long> visible = new ArrayList<>();
            for (long[] redelivery : arrived) {
                long due = startTimes.get(new MarkerKey((int) redelivery[0], redelivery[1])) + TIMEOUT.toMillis();
                delays.add(redelivery[2] - due);
                visible.add(redelivery[3] - due);
            }
            assertEquals(MESSAGES, delays.size());
            String what = TIMEOUT.toMillis() + " ms timeout, " + MESSAGES + " messages on " + PARTITIONS
                    + " partitions, punctuation 100 ms, commit 100 ms; ticks sent: " + tracker.metrics().ticks();
            report("delay beyond a " + what + " (redelivery record timestamp)", delays);
            report("delay beyond a " + what + " (received by a read_committed consumer)", visible);
        }
    }

    @Test
    @SuppressWarnings("try") // the restarted tracker only has to run
    void restartToFirstRedelivery(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        List<Long> restarts = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            String name = topic.derived("r" + round);
            // long enough for the tracker to read all STARTs before it is stopped, before any is due
            KmqConfig config = TrackerFixture.config(kafka, name, RESTART_TIMEOUT, 3);
            TrackerFixture.createTopics(kafka, config, PARTITIONS);
            TrackerSettings settings = TrackerFixture.settings(name);
            try (MarkerClient client = new MarkerClient(kafka, config, PARTITIONS);
                 KafkaConsumer<byte[], byte[]> reader = TrackerFixture.reader(kafka, config.topic(), PARTITIONS)) {
                try (RedeliveryTracker tracker = RedeliveryTracker.start(settings, config)) {
                    TrackerFixture.awaitCaughtUp(tracker);
                    for (int i = 0; i < 100; i++) {
                        client.produce(i % PARTITIONS, "k" + i, "v" + i);
                    }
                    client.nextBatch(100);
                    await().atMost(AWAIT).until(() -> tracker.metrics().inFlight() == 100);
                }
                Thread.sleep(RESTART_TIMEOUT.toMillis() + 500);
                long restarted = System.currentTimeMillis();
                try (RedeliveryTracker tracker = RedeliveryTracker.start(settings, config)) {
                    List<ConsumerRecord<byte[], byte[]>> first = new ArrayList<>();
                    await().atMost(AWAIT).until(() -> {
                        TrackerFixture.poll(reader).stream()
                                .filter(r -> KmqHeaders.redeliveryCount(r.headers()) > 0).forEach(first::add);
                        return !first.isEmpty();
                    });
                    restarts.add(first.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow() - restarted);
                }
            }
        }
        report("restart to first redelivery (tracker start() call to the first redelivered record), 5 restarts "
                + "with 100 overdue messages each", restarts);
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
