package io.kmq.bench.internal;

import io.kmq.KmqConfig;
import io.kmq.redelivery.TrackerSettings;
import io.kmq.testkit.JavaProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts kmq's redelivery tracker sidecar ({@code io.kmq.redelivery.TrackerMain}) in a JVM of its own, as it is
 * deployed, so that its CPU time, heap and GC pauses are not counted as the benchmarked client's. It is configured
 * with a {@code kmq.properties} file holding the run's {@link KmqConfig} and ready once {@code /health} answers 200
 * (running and caught up).
 */
final class TrackerProcess {

    static final String MAIN = "io.kmq.redelivery.TrackerMain";
    private static final Pattern HTTP_PORT = Pattern.compile("http port (\\d+)");
    /**
     * The tracker JVM's options: a sidecar's modest heap, touched at start-up so that its first-touch page faults
     * (costly on a VM) do not land in measured runs; C1 compilation only (the tracker does little per message, and
     * with C2 its compiler threads took about a quarter of a core during every kmq drain, on the two cores the client
     * and broker share; see the README's Performance section).
     */
    static final List<String> JVM_ARGS = List.of("-Xmx1g", "-Xms1g", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private TrackerProcess() {
    }

    /**
     * Starts a tracker for {@code config} and waits until it is healthy.
     *
     * @param settings  {@code kmq.tracker.*} settings on top of the defaults (the run's own id, state directory and
     *                  replication factor win)
     * @param directory a fresh directory for the properties file, the state and the tracker's stderr log
     * @return stops the tracker (SIGTERM, SIGKILL after 30 s)
     * @throws IllegalStateException if it does not become healthy within {@code timeout}
     */
    static AutoCloseable start(KmqConfig config, short replicationFactor, Map<String, String> settings, Path directory,
                               Duration timeout) {
        Path properties = writeProperties(config, replicationFactor, settings, directory);
        JavaProcess process = JavaProcess.start("kmq-tracker", JVM_ARGS, MAIN,
                List.of("--config", properties.toString(), "--http-port", "0"), null, directory.resolve("stderr.log"));
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            String line = process.awaitLine(l -> HTTP_PORT.matcher(l).find(), timeout);
            Matcher port = HTTP_PORT.matcher(line);
            port.find();
            awaitHealthy(Integer.parseInt(port.group(1)), deadline, config);
        } catch (RuntimeException e) {
            process.kill();
            throw new IllegalStateException("the tracker JVM of topic " + config.topic() + " did not become healthy; "
                    + "the end of its log: " + Trackers.tail(directory.resolve("stderr.log")), e);
        }
        return () -> process.stop(STOP_TIMEOUT);
    }

    private static Path writeProperties(KmqConfig config, short replicationFactor, Map<String, String> settings,
                                        Path directory) {
        Properties properties = originals(config);
        properties.putAll(settings);
        properties.setProperty(TrackerSettings.APPLICATION_ID_CONFIG, config.groupId() + "-tracker");
        properties.setProperty(TrackerSettings.STATE_DIR_CONFIG, directory.resolve("state").toString());
        properties.setProperty(TrackerSettings.REPLICATION_FACTOR_CONFIG, String.valueOf(replicationFactor));
        Path file = directory.resolve("kmq.properties");
        store(properties, file, config);
        return file;
    }

    /** The settings {@code config} was built from, as properties. */
    static Properties originals(KmqConfig config) {
        Properties properties = new Properties();
        config.originals().forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        return properties;
    }

    /** Writes a tracker's configuration file. */
    static void store(Properties properties, Path file, KmqConfig config) {
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "kmq benchmark tracker of " + config.topic());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void awaitHealthy(int port, long deadline, KmqConfig config) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body().trim();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the tracker of " + config.topic(), e);
            }
            RunExecutor.sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException("the tracker of topic " + config.topic() + " is not healthy (last: " + last
                + ")");
    }
}
