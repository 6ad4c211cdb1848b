package io.kmq.example.fault;

import io.kmq.KmqConfig;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.redelivery.TrackerSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the redelivery tracker in a child JVM for {@link FaultScenariosTest}: {@code <bootstrap> <topic> <group>
 * <state-dir> <max-redeliveries>}. Prints {@value #STARTED} once started and runs until killed.
 *
 * <p>Not {@code KmqCommand tracker}: that subcommand fails in this module (micrometer is missing from kmq-example's
 * class path, and {@code TrackerMain}'s {@code out}/{@code err} are null when it runs as a subcommand).
 */
public final class TrackerProcess {

    static final String STARTED = "tracker started";

    private TrackerProcess() {
    }

    /** Starts the tracker and blocks until the JVM is stopped. */
    public static void main(String[] args) throws InterruptedException {
        KmqConfig config = KmqConfig.builder().bootstrapServers(args[0]).topic(args[1]).groupId(args[2])
                .maxRedeliveries(Integer.parseInt(args[4])).build();
        TrackerSettings settings = TrackerSettings.from(Map.of(
                TrackerSettings.STATE_DIR_CONFIG, args[3],
                // a killed instance must leave the group soon, or its successor waits 45 s for its partitions
                TrackerSettings.STREAMS_PREFIX + "session.timeout.ms", "6000",
                TrackerSettings.STREAMS_PREFIX + "heartbeat.interval.ms", "1000"));
        RedeliveryTracker tracker = RedeliveryTracker.start(settings, config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tracker.close(Duration.ofSeconds(10));
            stopped.countDown();
        }, "fault-tracker-shutdown"));
        System.out.println(STARTED);
        stopped.await();
    }
}
