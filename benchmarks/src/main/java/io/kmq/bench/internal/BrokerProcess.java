package io.kmq.bench.internal;

import io.kmq.testkit.JavaProcess;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.internal.AdminBackedEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The in-process KRaft cluster of kmq-testkit ({@code KafkaClusterMain}) started in a child JVM with this JVM's class
 * path, so the broker's CPU time, heap and GC pauses are not the benchmark's. Closing the environment stops it.
 */
public final class BrokerProcess {

    static final String MAIN = "io.kmq.testkit.KafkaClusterMain";
    private static final String BOOTSTRAP_LINE = "bootstrap.servers=";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private BrokerProcess() {
    }

    /**
     * Starts {@code brokers} brokers in one child JVM and waits until they serve.
     *
     * @param jvmArgs options of the child JVM, such as {@code -Xmx2g}
     * @param stderr  where the broker's log goes
     * @return the cluster; closing it stops the child JVM (SIGTERM, SIGKILL after 10 s)
     * @throws IllegalStateException if the broker does not start within 2 minutes
     */
    public static KafkaEnvironment start(int brokers, List<String> jvmArgs, Path stderr) {
        JavaProcess process = JavaProcess.start("kafka-broker", jvmArgs, MAIN,
                List.of("--brokers", String.valueOf(brokers)), null, stderr);
        try {
            String line = process.awaitLine(l -> l.startsWith(BOOTSTRAP_LINE), START_TIMEOUT);
            return new AdminBackedEnvironment(line.substring(BOOTSTRAP_LINE.length()).trim(), process);
        } catch (RuntimeException e) {
            process.kill();
            throw new IllegalStateException("the broker JVM did not start; its log is " + stderr, e);
        }
    }
}
