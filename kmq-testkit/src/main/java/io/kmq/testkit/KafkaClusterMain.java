package io.kmq.testkit;

import java.util.concurrent.CountDownLatch;

/**
 * Starts an in-process Kafka cluster, prints {@code bootstrap.servers=<address>} on one line, and keeps it up until
 * the process is stopped (Ctrl-C or SIGTERM), for the demo, the benchmarks and manual tests.
 *
 * <p>Usage: {@code KafkaClusterMain [--brokers N]}.
 */
public final class KafkaClusterMain {

    private KafkaClusterMain() {
    }

    /** Runs the cluster; exits with code 2 on a bad argument. */
    public static void main(String[] args) throws InterruptedException {
        int brokers = 1;
        for (int i = 0; i < args.length; i++) {
            if ("--brokers".equals(args[i]) && i + 1 < args.length) {
                try {
                    brokers = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    usage("--brokers: '" + args[i] + "' is not a number");
                }
            } else {
                usage("unknown argument '" + args[i] + "'");
            }
        }
        serveUntilStopped(brokers);
    }

    /**
     * Starts a cluster of {@code brokers} brokers, prints {@code bootstrap.servers=<address>} on stdout and blocks
     * until the JVM shuts down (Ctrl-C or SIGTERM), which closes the cluster.
     *
     * @throws IllegalArgumentException if {@code brokers} is out of range, see {@link KafkaCluster#start(int)}
     */
    public static void serveUntilStopped(int brokers) throws InterruptedException {
        KafkaCluster cluster = KafkaCluster.start(brokers);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "kmq-kafka-shutdown"));
        System.out.println("bootstrap.servers=" + cluster.bootstrapServers());
        System.out.flush();
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("error: " + problem + " (usage: KafkaClusterMain [--brokers N])");
        System.exit(2);
    }
}
