package io.kmq.bench.internal;

import io.kmq.bench.BenchSettings;
import io.kmq.testkit.KafkaEnvironment;
import java.util.Objects;

/**
 * What every run of one benchmark shares.
 *
 * @param settings the settings
 * @param kafka    the cluster: topics are created through it, with its default replication factor
 * @param admin    share group settings and cleanup
 * @param trackers starts kmq's redelivery tracker
 * @param prefix   prefix of every topic and group this benchmark creates, unique per benchmark
 */
public record RunContext(BenchSettings settings, KafkaEnvironment kafka, BenchAdmin admin, TrackerLauncher trackers,
                         String prefix) {

    /** Checks the references. */
    public RunContext {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(trackers, "trackers");
        Objects.requireNonNull(prefix, "prefix");
    }

    /** The bootstrap servers of the cluster. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }
}
