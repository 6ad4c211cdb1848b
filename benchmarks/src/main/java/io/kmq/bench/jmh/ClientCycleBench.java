package io.kmq.bench.jmh;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import io.kmq.internal.KafkaClientFactory;
import java.lang.reflect.Constructor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The receiving loop of the benchmark's scenarios without Kafka's own costs: polls of {@link #pollSize} records on
 * {@value #PARTITIONS} partitions (512: a pre-populated drain; 16: live send+receive, whose polls bring a few records
 * per partition), built for each poll and returned by a {@link MockConsumer} whose poll only hands them over, each
 * record processed and, for kmq, acknowledged one call each, by a real {@link KmqClient} (default settings: range
 * markers, START coalescing, its acknowledgment flusher thread) whose marker producer is a {@link MockProducer}
 * completing at once. {@code plainLoop} is the benchmark's plain consumer loop over the same mock (the offset after
 * the last record of each partition kept to commit; its commit once a second is left out), so
 * {@code kmqLoop - plainLoop} is what kmq's own bookkeeping costs per record. Time per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClientCycleBench {

    /** Records per benchmark invocation: one poll of them, or several smaller ones. */
    private static final int RECORDS = 512;
    private static final int PARTITIONS = 8;
    private static final String TOPIC = "bench";
    private static final byte[] VALUE = new byte[100];

    private HandingConsumer consumer;
    private MockProducer<byte[], byte[]> producer;
    private KmqClient<byte[], byte[]> client;
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    /** The next offset of each partition. */
    private final long[] nextOffsets = new long[PARTITIONS];
    /** The first partition of the next poll (polls from fewer than all partitions take turns). */
    private int nextPartition;

    /** Records per poll, spread evenly over {@link #partitionsPerPoll} partitions; divides {@value #RECORDS}. */
    @Param({"512", "16"})
    public int pollSize;

    /**
     * How many of the {@value #PARTITIONS} partitions each poll's records come from, taking turns; divides
     * {@value #PARTITIONS} and {@link #pollSize}. 8 by default; 1 is a drain as a real consumer's fetches make it,
     * a poll's records mostly of one partition (kmq then hands out runs of a whole poll).
     */
    @Param({"8"})
    public int partitionsPerPoll;

    /** A kmq client on a mock consumer with {@value #PARTITIONS} partitions assigned, and its mock producer. */
    @Setup
    public void open() throws ReflectiveOperationException {
        if (partitionsPerPoll < 1 || PARTITIONS % partitionsPerPoll != 0 || pollSize % partitionsPerPoll != 0) {
            throw new IllegalArgumentException("partitionsPerPoll : " + partitionsPerPoll + " (expected: a divisor of "
                    + PARTITIONS + " and of pollSize " + pollSize + ")");
        }
        consumer = new HandingConsumer();
        producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        KmqConfig config = KmqConfig.builder().topic(TOPIC).groupId("bench").bootstrapServers("localhost:1")
                .messageTimeout(Duration.ofSeconds(30)).build();
        client = newClient(config, new MockClients(consumer, producer));
        List<TopicPartition> partitions = new ArrayList<>();
        Map<TopicPartition, Long> beginnings = new HashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            TopicPartition topicPartition = new TopicPartition(TOPIC, partition);
            partitions.add(topicPartition);
            beginnings.put(topicPartition, 0L);
        }
        consumer.rebalance(partitions);
        consumer.updateBeginningOffsets(beginnings);
    }

    /** Closes the client (and its flusher thread). */
    @TearDown
    public void close() {
        client.close();
    }

    /**
     * The client's constructor for substituted Kafka clients (package-private: tests use it, and so does this
     * benchmark, which lives in another module).
     */
    @SuppressWarnings("unchecked")
    private static KmqClient<byte[], byte[]> newClient(KmqConfig config, KafkaClientFactory clients)
            throws ReflectiveOperationException {
        Constructor<?> constructor = KmqClient.class.getDeclaredConstructor(KmqConfig.class, Deserializer.class,
                Deserializer.class, KafkaClientFactory.class, Clock.class, boolean.class);
        constructor.setAccessible(true);
        return (KmqClient<byte[], byte[]>) constructor.newInstance(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), clients, Clock.systemUTC(), false);
    }

    /**
     * Makes the next {@link #pollSize} records, spread evenly over the next {@link #partitionsPerPoll} partitions,
     * what the next poll returns.
     */
    private void addBatch() {
        int perPartition = pollSize / partitionsPerPoll;
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> polled = new HashMap<>();
        for (int i = 0; i < partitionsPerPoll; i++) {
            int partition = (nextPartition + i) % PARTITIONS;
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(perPartition);
            for (int j = 0; j < perPartition; j++) {
                records.add(new ConsumerRecord<>(TOPIC, partition, nextOffsets[partition] + j, null, VALUE));
            }
            nextOffsets[partition] += perPartition;
            polled.put(new TopicPartition(TOPIC, partition), records);
        }
        nextPartition = (nextPartition + partitionsPerPoll) % PARTITIONS;
        consumer.next = new ConsumerRecords<>(polled, Map.of());
    }

    /** The plain consumer's loop: poll, process each record, keep the last offset of each partition. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int plainLoop(Blackhole processed) {
        for (int polled = 0; polled < RECORDS; polled += pollSize) {
            addBatch();
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ZERO);
            for (TopicPartition partition : records.partitions()) {
                ConsumerRecord<byte[], byte[]> last = null;
                for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                    processed.consume(record.value());
                    last = record;
                }
                if (last != null) {
                    toCommit.put(partition, new OffsetAndMetadata(last.offset() + 1));
                }
            }
        }
        return toCommit.size();
    }

    /** kmq's loop: the next batch, each record processed and acknowledged. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int kmqLoop(Blackhole processed) {
        int handedOut = 0;
        for (int polled = 0; polled < RECORDS; polled += pollSize) {
            addBatch();
            List<ConsumerRecord<byte[], byte[]>> batch = client.nextBatch(Duration.ZERO);
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                processed.consume(record.value());
                client.processed(record);
            }
            handedOut += batch.size();
        }
        producer.clear(); // the mock keeps every marker sent
        return handedOut;
    }

    /**
     * A mock consumer whose poll returns the records the benchmark set, once ({@link MockConsumer#addRecord} and its
     * poll cost more per record than a real consumer's poll of fetched records; the rest of the mock is as it is).
     */
    private static final class HandingConsumer extends MockConsumer<byte[], byte[]> {
        ConsumerRecords<byte[], byte[]> next = ConsumerRecords.empty();

        HandingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = next;
            next = ConsumerRecords.empty();
            return records;
        }
    }

    /** Hands the benchmark's mock consumer and producer to the client. */
    private record MockClients(HandingConsumer consumer, MockProducer<byte[], byte[]> producer)
            implements KafkaClientFactory {

        @Override
        @SuppressWarnings("unchecked")
        public <K, V> Consumer<K, V> consumer(Map<String, Object> properties, Deserializer<K> keyDeserializer,
                                              Deserializer<V> valueDeserializer) {
            return (Consumer<K, V>) consumer;
        }

        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> properties) {
            return producer;
        }

        @Override
        public Admin admin(Map<String, Object> properties) {
            throw new UnsupportedOperationException("topic validation is off in this benchmark");
        }
    }
}
