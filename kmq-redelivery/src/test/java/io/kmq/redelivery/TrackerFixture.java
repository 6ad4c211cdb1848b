package io.kmq.redelivery;

import static org.awaitility.Awaitility.await;

import io.kmq.KmqAdmin;
import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import io.kmq.testkit.KafkaEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Topics, configs, producers and readers for tracker tests against the in-process broker. */
final class TrackerFixture {

    static final Duration AWAIT = Duration.ofSeconds(60);
    /** Names this test run (see {@link #settings}). */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private TrackerFixture() {
    }

    /** Creates the message, markers and dead-letter topics of {@code config} as kmq users do. */
    static void createTopics(KafkaEnvironment kafka, KmqConfig config, int partitions) {
        try (KmqAdmin admin = KmqAdmin.create(config)) {
            admin.createTopics(config, partitions, kafka.defaultReplicationFactor());
        }
    }

    /** A KmqClient of string records. */
    static KmqClient<String, String> client(KmqConfig config) {
        return new KmqClient<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** One short {@code nextBatch}. */
    static List<ConsumerRecord<String, String>> next(KmqClient<String, String> client) {
        return client.nextBatch(Duration.ofMillis(100));
    }

    /** Calls {@code nextBatch} until {@code count} records arrived. */
    static List<ConsumerRecord<String, String>> next(KmqClient<String, String> client, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(AWAIT).until(() -> {
            records.addAll(next(client));
            return records.size() >= count;
        });
        return records;
    }

    /**
     * Calls {@code nextBatch} until {@code count} records arrived, acknowledging each at once (so none times out
     * again while the test waits for the others).
     */
    static List<ConsumerRecord<String, String>> nextProcessed(KmqClient<String, String> client, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(AWAIT).until(() -> {
            for (ConsumerRecord<String, String> record : next(client)) {
                client.processed(record);
                records.add(record);
            }
            return records.size() >= count;
        });
        return records;
    }

    /** Calls {@code nextBatch} for {@code duration} and returns what arrived. */
    static List<ConsumerRecord<String, String>> drain(KmqClient<String, String> client, Duration duration) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            records.addAll(next(client));
        }
        return records;
    }

    /** The value of a record of strings or bytes, as a string. */
    static String value(ConsumerRecord<?, ?> record) {
        return record.value() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : String.valueOf(record.value());
    }

    /** The last value of a header as a string, or null. */
    static String header(ConsumerRecord<?, ?> record, String name) {
        return record.headers().lastHeader(name) == null ? null
                : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A config for {@code topic} with a short timeout. */
    static KmqConfig config(KafkaEnvironment kafka, String topic, Duration timeout, int maxRedeliveries) {
        return KmqConfig.builder().topic(topic).groupId(topic + "-group").bootstrapServers(kafka.bootstrapServers())
                .messageTimeout(timeout).maxRedeliveries(maxRedeliveries).build();
    }

    /**
     * Fast settings with an application id and state directory of this test's own. Topic names repeat from one test
     * run to the next (a counter) while target/tmp survives between runs, so the state directory is also unique to
     * this run: otherwise a tracker would start from the RocksDB state of an earlier run against another cluster.
     */
    static TrackerSettings settings(String topic) {
        return TrackerSettings.builder().applicationId(topic + "-tracker").stateDir(stateDir(topic))
                .closeTimeout(Duration.ofSeconds(20)).build();
    }

    /** A state directory unique to {@code name} and this test run. */
    static Path stateDir(String name) {
        return Path.of(System.getProperty("java.io.tmpdir"), "kmq-state-" + RUN, name);
    }

    /** Waits until the tracker runs and has read every marker. */
    static void awaitCaughtUp(RedeliveryTracker tracker) {
        await().atMost(AWAIT).pollInterval(Duration.ofMillis(100)).until(tracker::isCaughtUp);
    }

    static KafkaProducer<byte[], byte[]> producer(KafkaEnvironment kafka) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends and waits for the acknowledgment. */
    static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("send to " + record.topic() + "-" + record.partition() + " failed", e);
        }
    }

    /** A {@code read_committed} consumer assigned to every partition of {@code topic}, from the beginning. */
    static KafkaConsumer<byte[], byte[]> reader(KafkaEnvironment kafka, String topic, int partitions) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(new TopicPartition(topic, p));
        }
        consumer.assign(assignment);
        consumer.seekToBeginning(assignment);
        return consumer;
    }

    /** Polls once briefly and returns what arrived. */
    static List<ConsumerRecord<byte[], byte[]>> poll(KafkaConsumer<byte[], byte[]> consumer) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        return records;
    }
}
