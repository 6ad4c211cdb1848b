package io.kmq.redelivery;

import static io.kmq.redelivery.TrackerFixture.AWAIT;
import static org.awaitility.Awaitility.await;

import io.kmq.KmqConfig;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the tracker's throughput on a markers backlog: messages covered per second while it consumes a markers
 * partition that already holds every marker, for per-message START + END markers, START_RANGE of 500 with per-message
 * END, and START_RANGE + END_RANGE of 500, side by side in one run (each twice, alternating). Not part of the normal
 * suite: run with {@code -Dkmq.measure=true -Dtest=RangeThroughputMeasurement}; results go to stdout and
 * {@code target/range-throughput.txt}.
 *
 * <p>The backlog starts chunks of 500 offsets and ends each chunk one chunk later (so about 1,000 messages are in
 * flight), with a timeout no run reaches; a last START of one more offset leaves exactly one in flight, which marks
 * the end. The clock runs from the first in-flight message seen to that end.
 */
@KafkaTest
@EnabledIfSystemProperty(named = "kmq.measure", matches = "true")
class RangeThroughputMeasurement {

    private static final int CHUNK = 500;
    private static final Duration TIMEOUT = Duration.ofHours(1);

    private enum Style { PER_MESSAGE, RANGE_START_SINGLE_END, RANGES }

    @Test
    void messagesCoveredPerSecond(KafkaEnvironment kafka, TestTopic topic) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            lines.add(run(kafka, topic.derived("pm" + round), Style.PER_MESSAGE, 100_000));
            lines.add(run(kafka, topic.derived("rs" + round), Style.RANGE_START_SINGLE_END, 100_000));
            lines.add(run(kafka, topic.derived("rr" + round), Style.RANGES, 2_000_000));
        }
        for (String line : lines) {
            System.out.print(line);
            Files.writeString(Path.of("target", "range-throughput.txt"), line, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    private static String run(KafkaEnvironment kafka, String name, Style style, int messages) throws IOException {
        KmqConfig config = TrackerFixture.config(kafka, name, TIMEOUT, 3);
        TrackerFixture.createTopics(kafka, config, 1);
        long markers = writeBacklog(kafka, config, style, messages);
        AtomicLong started = new AtomicLong();
        try (RedeliveryTracker tracker = RedeliveryTracker.start(TrackerFixture.settings(name), config)) {
            await().atMost(AWAIT.multipliedBy(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
                TrackerMetrics metrics = tracker.metrics();
                if (started.get() == 0 && metrics.inFlight() > 0) {
                    started.set(System.nanoTime());
                }
                return started.get() != 0 && metrics.inFlight() == 1 && metrics.markersLag() == 0;
            });
            long nanos = System.nanoTime() - started.get();
            return String.format("%-24s %,10d messages %,9d markers in %6d ms: %,10.0f messages/s%n", style,
                    messages, markers, nanos / 1_000_000, messages * 1e9 / nanos);
        }
    }

    /** Writes the backlog; returns how many markers it holds. */
    private static long writeBacklog(KafkaEnvironment kafka, KmqConfig config, Style style, int messages) {
        long count = 0;
        try (KafkaProducer<byte[], byte[]> producer = TrackerFixture.producer(kafka)) {
            for (int first = 0; first <= messages; first += CHUNK) {
                if (first < messages) {
                    count += style == Style.PER_MESSAGE ? each(producer, config, first, new Marker.Start(TIMEOUT))
                            : send(producer, config, first, new Marker.StartRange(TIMEOUT, CHUNK));
                }
                if (first > 0) {
                    count += style == Style.RANGES ? send(producer, config, first - CHUNK, new Marker.EndRange(CHUNK))
                            : each(producer, config, first - CHUNK, new Marker.End());
                }
            }
            count += send(producer, config, messages, new Marker.Start(TIMEOUT));
            producer.flush();
        }
        return count;
    }

    private static int each(KafkaProducer<byte[], byte[]> producer, KmqConfig config, long first, Marker marker) {
        for (long offset = first; offset < first + CHUNK; offset++) {
            send(producer, config, offset, marker);
        }
        return CHUNK;
    }

    private static int send(KafkaProducer<byte[], byte[]> producer, KmqConfig config, long offset, Marker marker) {
        producer.send(new ProducerRecord<>(config.markersTopic(), 0, MarkerCodec.encodeKey(new MarkerKey(0, offset)),
                MarkerCodec.encodeValue(marker)), (metadata, e) -> {
                    if (e != null) {
                        throw new IllegalStateException("backlog marker not written", e);
                    }
                });
        return 1;
    }
}
