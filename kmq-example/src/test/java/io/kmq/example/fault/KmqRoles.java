package io.kmq.example.fault;

import io.kmq.KmqConfig;
import io.kmq.example.KmqCommand;
import io.kmq.redelivery.RedeliveryTracker;
import io.kmq.redelivery.TrackerSettings;
import io.kmq.testkit.ProcessRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The kmq roles of a fault scenario: {@code kmq process} and {@code kmq tracker} as child processes (the real
 * commands of {@link KmqCommand}) that a scenario kills and restarts, and the tracker in this JVM where no kill is
 * meant. A killed role must leave its group soon, or its successor waits the default 45 s session timeout for its
 * partitions: every role gets a 6 s session timeout.
 */
final class KmqRoles {

    /** The line {@code kmq tracker} prints once it has started. */
    static final String TRACKER_STARTED = "kmq-redelivery: tracker ";
    /** The prefix of each id {@code kmq process} prints. */
    static final String PROCESSED = "processed ";

    private static final String SESSION = "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n";

    private KmqRoles() {
    }

    /**
     * {@code kmq process} for {@code config}, printing {@code processed <id>} lines that go to {@code onProcessed}.
     *
     * @param extraArgs more arguments, such as {@code --drop 0.3}
     */
    static ProcessRole processor(KmqConfig config, Path dir, Consumer<String> onProcessed, String... extraArgs) {
        Path properties = write(dir.resolve("processor.properties"), SESSION);
        List<String> args = new ArrayList<>(List.of("process", "--bootstrap-servers", bootstrap(config),
                "--topic", config.topic(), "--group", config.groupId(),
                "--message-timeout", config.messageTimeout().toMillis() + "ms", "--config", properties.toString()));
        args.addAll(List.of(extraArgs));
        return ProcessRole.builder("processor", KmqCommand.class.getName(), dir).args(args)
                .ids(PROCESSED, onProcessed).build();
    }

    /** {@code kmq tracker} for {@code config}, with its RocksDB state in {@code stateDir} (kept across runs). */
    static ProcessRole tracker(KmqConfig config, Path stateDir, Path dir) {
        String streams = SESSION.lines().map(line -> TrackerSettings.STREAMS_PREFIX + line + "\n")
                .reduce("", String::concat);
        Path properties = write(dir.resolve("tracker.properties"), streams);
        return ProcessRole.builder("tracker", KmqCommand.class.getName(), dir)
                .args(List.of("tracker", "--bootstrap-servers", bootstrap(config), "--topic", config.topic(),
                        "--group", config.groupId(), "--max-redeliveries", Integer.toString(config.maxRedeliveries()),
                        "--state-dir", stateDir.toString(), "--http-port", "0", "--config", properties.toString()))
                .build();
    }

    /** The tracker in this JVM, with its state under {@code dir} and {@code replicationFactor} for its changelogs. */
    static RedeliveryTracker inProcessTracker(KmqConfig config, Path dir, int replicationFactor) {
        try {
            Path stateDir = Files.createDirectories(dir.resolve("tracker-state"));
            return RedeliveryTracker.start(TrackerSettings.builder().stateDir(stateDir)
                    .replicationFactor(replicationFactor).build(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String bootstrap(KmqConfig config) {
        return config.kafkaProperties().get("bootstrap.servers").toString();
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
