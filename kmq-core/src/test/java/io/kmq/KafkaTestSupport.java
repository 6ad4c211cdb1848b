package io.kmq;

import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.TestTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Helpers for tests against the real broker: configs, topics, producing messages and reading markers back. */
final class KafkaTestSupport {

    /** How long tests wait for anything the broker does. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofMillis(200);

    private KafkaTestSupport() {
    }

    /** A config builder for the test topic, with a group of its own. */
    static KmqConfig.Builder config(KafkaEnvironment kafka, TestTopic topic) {
        return KmqConfig.builder()
                .topic(topic.name())
                .groupId(topic.derived("group"))
                .bootstrapServers(kafka.bootstrapServers());
    }

    /** Creates the three topics of {@code config} with KmqAdmin. */
    static void createTopics(KmqConfig config, int partitions) {
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, partitions, (short) 1);
        }
    }

    /** Produces {@code count} records "value-i" round-robin over the partitions, key "key-i"; waits for every ack. */
    static void produce(KafkaEnvironment kafka, String topic, int partitions, int count) {
        produce(kafka, topic, count, i -> new ProducerRecord<>(topic, i % partitions, "key-" + i, "value-" + i));
    }

    static void produce(KafkaEnvironment kafka, String topic, int count,
                        Function<Integer, ProducerRecord<String, String>> recordOf) {
        Map<String, Object> properties = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> results = new ArrayList<>();
            IntStream.range(0, count).forEach(i -> results.add(producer.send(recordOf.apply(i))));
            for (Future<RecordMetadata> result : results) {
                result.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("producing test records to " + topic + " failed", e);
        }
    }

    /** One marker read back from the markers topic. */
    record ReadMarker(int markersPartition, MarkerKey key, Marker marker, TimestampType timestampType) {
    }

    /**
     * Reads the markers topic from the beginning until at least {@code atLeast} markers are read, every partition is
     * read up to its end offset as of the start, and nothing more arrives in a final short poll, or fails after
     * {@link #PATIENCE}.
     */
    static List<ReadMarker> readMarkers(KafkaEnvironment kafka, String markersTopic, int partitions, int atLeast) {
        return readRawMarkers(kafka, markersTopic, partitions, atLeast).stream()
                .map(record -> new ReadMarker(record.partition(), MarkerCodec.decodeKey(record.key()),
                        MarkerCodec.decodeValue(record.value()), record.timestampType()))
                .toList();
    }

    /** As {@link #readMarkers}, the records as written, in partition order and offset order within a partition. */
    static List<ConsumerRecord<byte[], byte[]>> readRawMarkers(KafkaEnvironment kafka, String markersTopic,
                                                             int partitions, int atLeast) {
        Map<String, Object> properties = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(markersTopic, p)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            List<ConsumerRecord<byte[], byte[]>> markers = new ArrayList<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                int before = markers.size();
                consumer.poll(POLL).forEach(markers::add);
                boolean atEnd = ends.entrySet().stream()
                        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
                if (markers.size() >= atLeast && markers.size() == before && atEnd) {
                    markers.sort(java.util.Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(
                            ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
                    return markers;
                }
            }
            throw new AssertionError("read " + markers.size() + " markers from " + markersTopic + " within "
                    + PATIENCE + " (expected: at least " + atLeast + ")");
        }
    }

    /** Calls nextBatch until {@code count} records arrived in total, or fails after {@link #PATIENCE}. */
    static <K, V> List<ConsumerRecord<K, V>> pollAtLeast(KmqClient<K, V> client, int count) {
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            received.addAll(client.nextBatch(POLL));
        }
        if (received.size() < count) {
            throw new AssertionError("received " + received.size() + " records within " + PATIENCE
                    + " (expected: " + count + ")");
        }
        return received;
    }
}
