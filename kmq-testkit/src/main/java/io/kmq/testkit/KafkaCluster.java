package io.kmq.testkit;

import io.kmq.testkit.internal.TopicReadiness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka (KRaft) cluster of 1 or more brokers started in this JVM on random ports, with no Docker. With 3 or
 * more brokers topics are replicated 3 times and {@code min.insync.replicas=2}, the seed benchmark's setup.
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaCluster.start(1)) {
 *     kafka.createTopic("orders", 4);
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class KafkaCluster implements KafkaEnvironment {

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * {@code log.index.size.max.bytes} of the brokers: 128 KiB instead of Kafka's 10 MiB. A new segment's offset and
     * time index files are created sparse at that size and memory-mapped; on a disk with a large read-ahead (8 MiB on
     * the VMs kmq is built on) the first index write zero-fills up to that much page cache per file, which made every
     * new partition cost tens of milliseconds of broker CPU in the middle of whatever ran next. Segments now roll
     * after about 44 MiB of records (a full time index), which tests and benchmarks never mind.
     */
    static final String INDEX_SIZE_BYTES = String.valueOf(128 * 1024);

    private final KafkaClusterTestKit cluster;
    private final Path baseDirectory;
    private final int brokers;
    private final Admin admin;
    private boolean closed;

    private KafkaCluster(KafkaClusterTestKit cluster, Path baseDirectory, int brokers) {
        this.cluster = cluster;
        this.baseDirectory = baseDirectory;
        this.brokers = brokers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    /**
     * Formats and starts a cluster of {@code brokers} brokers (the first one also the KRaft controller) and waits until
     * they are ready.
     *
     * @param brokers how many brokers, 1 to 9
     * @throws IllegalArgumentException if {@code brokers} is out of range
     * @throws IllegalStateException    if the cluster does not start
     */
    public static KafkaCluster start(int brokers) {
        if (brokers < 1 || brokers > 9) {
            throw new IllegalArgumentException("brokers : " + brokers + " (expected: 1 to 9)");
        }
        Path base;
        try {
            base = Files.createTempDirectory("kmq-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for the Kafka cluster", e);
        }
        long started = System.nanoTime();
        KafkaClusterTestKit testKit = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(base)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            String replicationFactor = String.valueOf(Math.min(3, brokers));
            String minInSync = String.valueOf(Math.min(2, brokers));
            builder.setConfigProp("offsets.topic.replication.factor", replicationFactor);
            builder.setConfigProp("offsets.topic.num.partitions", "5");
            builder.setConfigProp("transaction.state.log.replication.factor", replicationFactor);
            builder.setConfigProp("transaction.state.log.min.isr", minInSync);
            builder.setConfigProp("transaction.state.log.num.partitions", "5");
            builder.setConfigProp("share.coordinator.state.topic.replication.factor", replicationFactor);
            builder.setConfigProp("share.coordinator.state.topic.min.isr", minInSync);
            builder.setConfigProp("min.insync.replicas", minInSync);
            builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
            builder.setConfigProp("auto.create.topics.enable", "false");
            builder.setConfigProp("log.index.size.max.bytes", INDEX_SIZE_BYTES);
            testKit = builder.build();
            formatQuietly(testKit);
            testKit.startup();
            testKit.waitForReadyBrokers();
            KafkaCluster cluster = new KafkaCluster(testKit, base, brokers);
            log.info("Kafka cluster of {} broker(s) started at {} in {} ms", brokers, cluster.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000);
            return cluster;
        } catch (Exception e) {
            if (testKit != null) {
                try {
                    testKit.close();
                } catch (Exception closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            TopicReadiness.deleteRecursively(base);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Kafka cluster of " + brokers + " broker(s) did not start", e);
        }
    }

    /**
     * Formats the storage directories. Kafka's formatter prints its progress on {@code System.out}, which would mix
     * into the output of the demo and the tools; it is sent to the debug log instead.
     */
    private static void formatQuietly(KafkaClusterTestKit testKit) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        synchronized (KafkaCluster.class) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                testKit.format();
            } finally {
                System.setOut(stdout);
            }
        }
        log.debug("storage formatted: {}", captured.toString(StandardCharsets.UTF_8).strip());
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public int brokerCount() {
        return brokers;
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        TopicReadiness.create(admin, name, partitions, defaultReplicationFactor(), configs, TOPIC_READY_TIMEOUT);
    }

    @Override
    public void awaitTopicReady(String name, Duration timeout) {
        TopicReadiness.await(admin, name, timeout);
    }

    /**
     * Stops broker {@code index} (0-based) as a controlled shutdown; the others keep serving.
     *
     * @throws IllegalArgumentException if there is no such broker, or it is broker 0, which also runs the controller
     */
    public void stopBroker(int index) {
        BrokerServer broker = broker(index);
        log.info("stopping broker {}", index);
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts broker {@code index} again after {@link #stopBroker(int)}; it listens on a new random port. */
    public void restartBroker(int index) {
        BrokerServer broker = broker(index);
        log.info("restarting broker {}", index);
        broker.startup();
    }

    private BrokerServer broker(int index) {
        if (index < 1 || index >= brokers) {
            throw new IllegalArgumentException("broker index : " + index + " (expected: 1 to " + (brokers - 1)
                    + "; broker 0 also runs the KRaft controller and cannot be stopped alone)");
        }
        return cluster.brokers().get(index);
    }

    /** Stops every broker and deletes the cluster's files; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try {
            admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            if (failure == null) {
                failure = new IllegalStateException("Kafka cluster did not close cleanly", e);
            } else {
                failure.addSuppressed(e);
            }
        }
        TopicReadiness.deleteRecursively(baseDirectory);
        if (failure != null) {
            throw failure;
        }
    }
}
