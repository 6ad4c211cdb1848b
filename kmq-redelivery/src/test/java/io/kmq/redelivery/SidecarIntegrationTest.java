package io.kmq.redelivery;

import static io.kmq.redelivery.TrackerFixture.AWAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqClient;
import io.kmq.KmqConfig;
import io.kmq.KmqHeaders;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The sidecar as a separate process: health, metrics, a redelivery, and a clean stop on SIGTERM. */
@KafkaTest
class SidecarIntegrationTest {

    private static final Pattern PORT = Pattern.compile("http port (\\d+)");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void sidecarRedeliversServesHealthAndMetricsAndStopsCleanlyOnSigterm(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        KmqConfig config = TrackerFixture.config(kafka, topic.name(), Duration.ofSeconds(1), 3);
        TrackerFixture.createTopics(kafka, config, 2);
        String tmp = System.getProperty("java.io.tmpdir");
        Path log = Files.createTempFile("sidecar-", ".log");
        Process process = new ProcessBuilder(javaBinary(), "-Djava.io.tmpdir=" + tmp, "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), TrackerMain.class.getName(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", config.topic(),
                "--group", config.groupId(), "--http-port", "0",
                "--state-dir", TrackerFixture.stateDir(topic.name()).toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = await().atMost(AWAIT).until(() -> port(Files.readAllLines(log)), p -> p > 0);
            await().atMost(AWAIT).until(() -> get(port, "/health").statusCode() == 200);
            assertTrue(get(port, "/health").body().startsWith("UP state=RUNNING"));

            try (MarkerClient producer = new MarkerClient(kafka, config, 2);
                 KmqClient<String, String> client = TrackerFixture.client(config)) {
                producer.produce(1, "k", "dropped");
                TrackerFixture.next(client, 1);
                ConsumerRecord<String, String> redelivered = TrackerFixture.nextProcessed(client, 1).get(0);
                assertEquals(1, KmqHeaders.redeliveryCount(redelivered.headers()));
            }
            await().atMost(AWAIT).untilAsserted(() -> {
                String metrics = get(port, "/metrics").body();
                assertTrue(metrics.contains("kmq_tracker_redeliveries_total{application=\"" + config.groupId()
                        + "__kmq-tracker\",topic=\"" + config.topic() + "\"} 1.0"), metrics);
                assertTrue(metrics.contains("kmq_tracker_caught_up"), metrics);
                assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);
            });
            assertEquals(404, get(port, "/nothing").statusCode());

            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
            String output = Files.readString(log);
            assertTrue(output.contains("Stopping (shutdown signal)") && output.contains("Tracker " + config.groupId()
                    + "__kmq-tracker stopped"), output);
        } finally {
            process.destroyForcibly();
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int port(List<String> output) {
        for (String line : output) {
            Matcher matcher = PORT.matcher(line);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
        }
        return -1;
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
