package io.kmq.redelivery.internal;

import io.kmq.KmqConfig;
import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The tracker topology of one kmq topic in a TopologyTestDriver, with a {@link FakeReader}: markers are piped with
 * explicit timestamps (standing in for LogAppendTime) and the wall clock is advanced by hand. The driver pipes what
 * the tracker writes to the markers topic (ticks, ENDs) back in, with the timestamp it was written with — like a
 * broker whose clock equals the tracker's.
 */
final class TrackerDriver implements AutoCloseable {

    static final String TOPIC = "orders";
    static final Duration PUNCTUATION = Duration.ofMillis(100);

    final KmqConfig config;
    final FakeReader reader = new FakeReader();
    final TrackerStats stats;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> markers;
    final TestOutputTopic<byte[], byte[]> markersOut;
    final TestOutputTopic<byte[], byte[]> messages;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private long wallClock;

    TrackerDriver(int maxRedeliveries) {
        this.config = KmqConfig.builder().topic(TOPIC).groupId("g").bootstrapServers("localhost:1")
                .maxRedeliveries(maxRedeliveries).build();
        this.stats = new TrackerStats(List.of(TOPIC));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tracker-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, tempDir().toString());
        this.driver = new TopologyTestDriver(TrackerTopology.build(List.of(config),
                new TrackerTopology.Options(PUNCTUATION, 1000), reader, PunctuatedTicks.FACTORY, stats), props, Instant.ofEpochMilli(0));
        ByteArraySerializer serializer = new ByteArraySerializer();
        ByteArrayDeserializer deserializer = new ByteArrayDeserializer();
        this.markers = driver.createInputTopic(config.markersTopic(), serializer, serializer);
        this.markersOut = driver.createOutputTopic(config.markersTopic(), deserializer, deserializer);
        this.messages = driver.createOutputTopic(config.topic(), deserializer, deserializer);
        this.deadLetters = driver.createOutputTopic(config.deadLetterTopic(), deserializer, deserializer);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("kmq-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Adds message {@code offset} of partition 0 to the fake log. */
    void message(long offset, String value) {
        reader.add(TOPIC, 0, offset, 10_000 + offset, "k" + offset, value, new RecordHeaders());
    }

    /** Pipes a marker about partition 0, offset {@code offset}, stamped {@code timestamp}. */
    void marker(long offset, Marker marker, long timestamp) {
        markers.pipeInput(MarkerCodec.encodeKey(new MarkerKey(0, offset)), MarkerCodec.encodeValue(marker),
                timestamp);
    }

    void start(long offset, long timeoutMs, long timestamp) {
        marker(offset, new Marker.Start(Duration.ofMillis(timeoutMs)), timestamp);
    }

    void end(long offset, long timestamp) {
        marker(offset, new Marker.End(), timestamp);
    }

    void startRange(long first, int count, long timeoutMs, long timestamp) {
        marker(first, new Marker.StartRange(Duration.ofMillis(timeoutMs), count), timestamp);
    }

    void endRange(long first, int count, long timestamp) {
        marker(first, new Marker.EndRange(count), timestamp);
    }

    /** Advances the wall clock to {@code millis}, one punctuation interval at a time. */
    void wallClockTo(long millis) {
        while (wallClock < millis) {
            long step = Math.min(PUNCTUATION.toMillis(), millis - wallClock);
            driver.advanceWallClockTime(Duration.ofMillis(step));
            wallClock += step;
        }
    }

    /** Advances the wall clock to {@code millis} in one step: at most one punctuation. */
    void jumpWallClockTo(long millis) {
        driver.advanceWallClockTime(Duration.ofMillis(millis - wallClock));
        wallClock = millis;
    }

    /** The markers the tracker wrote since the last call, decoded. */
    List<Written> writtenMarkers() {
        return markersOut.readRecordsToList().stream().map(Written::of).toList();
    }

    /** A marker the tracker wrote. */
    record Written(MarkerKey key, Marker marker, long timestamp) {
        static Written of(TestRecord<byte[], byte[]> record) {
            return new Written(MarkerCodec.decodeKey(record.key()), MarkerCodec.decodeValue(record.value()),
                    record.timestamp());
        }

        boolean isTick() {
            return marker instanceof Marker.Tick;
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}
