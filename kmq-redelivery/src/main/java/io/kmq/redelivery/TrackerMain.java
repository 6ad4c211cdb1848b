package io.kmq.redelivery;

import io.kmq.KmqConfig;
import io.kmq.KmqException;
import io.kmq.internal.DurationConverter;
import io.kmq.redelivery.internal.Sidecar;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The redelivery tracker as a standalone process (the sidecar of {@code kmq-redelivery.jar}): serves one kmq topic,
 * with {@code /health} and Prometheus {@code /metrics} over HTTP, and stops cleanly on SIGTERM.
 *
 * <p>Exit codes: 0 after a clean stop, 1 if the tracker failed, 2 for a bad command line or configuration.
 */
@Command(name = "kmq-redelivery", mixinStandardHelpOptions = true, version = "kmq-redelivery 0.1.0-SNAPSHOT",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Runs the kmq redelivery tracker: reads the markers topic of a kmq topic and redelivers (or "
                + "dead-letters) messages whose processing timed out, was released or was rejected. Instances with "
                + "the same application id share the markers partitions. Stops cleanly on SIGTERM.",
            "",
            "Flags override the same settings in --config. Durations are a whole number with ms, s, m or h "
                + "(e.g. 500ms, 30s). Exit codes: 0 stopped cleanly, 1 tracker failed, 2 bad command line or "
                + "configuration.",
            ""
        })
public final class TrackerMain implements Callable<Integer> {

    /** Where the sidecar's logging configuration lives on the class path, unless {@code logback.configurationFile}. */
    static final String LOGBACK_CONFIG = "kmq-redelivery-logback.xml";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (or bootstrap.servers in --config).")
    private String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "The kmq message topic (kmq.topic).")
    private String topic;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "The consumer group of the KmqClients (kmq.group.id); the default application id derives "
                    + "from it.")
    private String group;

    @Option(names = "--markers-topic", paramLabel = "TOPIC",
            description = "The markers topic (kmq.markers.topic); default <topic>__markers.")
    private String markersTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
            description = "The dead-letter topic (kmq.dead.letter.topic); default <topic>__undelivered.")
    private String deadLetterTopic;

    @Option(names = "--message-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a processor may hold a message (kmq.message.timeout.ms); default 30s. "
                    + "Only used by the KmqClients; the tracker reads each message's timeout from its START marker.")
    private Duration messageTimeout;

    @Option(names = "--max-redeliveries", paramLabel = "N",
            description = "Redeliveries before a timed-out message is dead-lettered (kmq.max.redeliveries); "
                    + "default 3.")
    private Integer maxRedeliveries;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A kmq.properties file: kmq.* settings, kmq.tracker.* settings and Kafka client "
                    + "properties (e.g. security).")
    private Path configFile;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "The Kafka Streams application id (kmq.tracker.application.id); default "
                    + "<group>__kmq-tracker.")
    private String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the RocksDB state lives (kmq.tracker.state.dir); default the Kafka Streams "
                    + "default.")
    private Path stateDir;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Port of /health (200 when running and caught up, else 503) and /metrics (Prometheus); "
                    + "0 picks a free port. Default ${DEFAULT-VALUE}.")
    private int httpPort;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Set by {@link #run}; null when this command runs as a subcommand of another command line (then its streams). */
    private PrintWriter out;
    private PrintWriter err;

    /** Runs the sidecar until SIGTERM; exits with the code described above. */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Parses {@code args} and runs; returns the exit code instead of exiting (for tests). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        TrackerMain main = new TrackerMain();
        main.out = out;
        main.err = err;
        CommandLine commandLine = new CommandLine(main).setOut(out).setErr(err);
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            err.println("kmq-redelivery: " + e.getMessage().replace('\n', ' ').trim() + " (see --help)");
            return 2;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (out == null) {
            out = spec.commandLine().getOut();
        }
        if (err == null) {
            err = spec.commandLine().getErr();
        }
        Properties file;
        KmqConfig config;
        TrackerSettings settings;
        try {
            file = load(configFile);
            config = kmqConfig(file);
            settings = trackerSettings(file);
        } catch (ConfigException | UncheckedIOException e) {
            err.println("kmq-redelivery: " + e.getMessage() + hint(e.getMessage()));
            return 2;
        }
        Sidecar sidecar;
        try {
            sidecar = Sidecar.start(config, settings, httpPort);
        } catch (KmqException | ConfigException | UncheckedIOException e) {
            err.println("kmq-redelivery: cannot start: " + e.getMessage());
            return e instanceof KmqException ? 1 : 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LoggerFactory.getLogger(TrackerMain.class).info("Stopping (shutdown signal)");
            try {
                sidecar.close();
            } finally {
                stopped.countDown();
            }
        }, "kmq-tracker-shutdown"));
        out.println("kmq-redelivery: tracker " + sidecar.tracker().applicationId() + " serving " + config.topic()
                + "; http port " + sidecar.httpPort());
        while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
            if (sidecar.tracker().state() == TrackerState.FAILED) {
                err.println("kmq-redelivery: the tracker failed; see the log");
                return 1;
            }
        }
        return 0;
    }

    /** Points from a config key in an error to the flag that sets it. */
    private static String hint(String message) {
        Map<String, String> flags = Map.of("\"" + KmqConfig.TOPIC_CONFIG + "\"", "--topic",
                "\"" + KmqConfig.GROUP_ID_CONFIG + "\"", "--group", "\"bootstrap.servers\"", "--bootstrap-servers");
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            if (message.contains(flag.getKey())) {
                return " (set " + flag.getValue() + " or " + flag.getKey().replace("\"", "") + " in --config)";
            }
        }
        return " (see --help)";
    }

    private KmqConfig kmqConfig(Properties file) {
        Map<String, Object> props = new LinkedHashMap<>();
        file.stringPropertyNames().stream().filter(k -> !k.startsWith(TrackerSettings.PREFIX))
                .forEach(k -> props.put(k, file.getProperty(k)));
        putIfSet(props, "bootstrap.servers", bootstrapServers);
        putIfSet(props, KmqConfig.TOPIC_CONFIG, topic);
        putIfSet(props, KmqConfig.GROUP_ID_CONFIG, group);
        putIfSet(props, KmqConfig.MARKERS_TOPIC_CONFIG, markersTopic);
        putIfSet(props, KmqConfig.DEAD_LETTER_TOPIC_CONFIG, deadLetterTopic);
        putIfSet(props, KmqConfig.MESSAGE_TIMEOUT_MS_CONFIG, messageTimeout == null ? null : messageTimeout.toMillis());
        putIfSet(props, KmqConfig.MAX_REDELIVERIES_CONFIG, maxRedeliveries);
        return KmqConfig.from(props);
    }

    private TrackerSettings trackerSettings(Properties file) {
        Map<String, Object> props = new LinkedHashMap<>();
        file.stringPropertyNames().stream().filter(k -> k.startsWith(TrackerSettings.PREFIX))
                .forEach(k -> props.put(k, file.getProperty(k)));
        putIfSet(props, TrackerSettings.APPLICATION_ID_CONFIG, applicationId);
        putIfSet(props, TrackerSettings.STATE_DIR_CONFIG, stateDir == null ? null : stateDir.toString());
        return TrackerSettings.from(props);
    }

    private static void putIfSet(Map<String, Object> props, String key, Object value) {
        if (value != null) {
            props.put(key, value);
        }
    }

    private static Properties load(Path file) {
        Properties props = new Properties();
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --config " + file + " (" + e.getClass().getSimpleName()
                        + ": " + e.getMessage() + ")", e);
            }
        }
        return props;
    }
}
