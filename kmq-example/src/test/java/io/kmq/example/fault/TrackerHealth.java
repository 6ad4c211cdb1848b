package io.kmq.example.fault;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code /health} endpoint of a {@code kmq tracker} process, found from the line it prints when started. */
final class TrackerHealth {

    private static final Pattern PORT = Pattern.compile("http port (\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;

    private TrackerHealth(int port) {
        this.uri = URI.create("http://localhost:" + port + "/health");
    }

    /** The endpoint named in {@code startedLine} ({@code ...; http port <n>}). */
    static TrackerHealth of(String startedLine) {
        Matcher port = PORT.matcher(startedLine);
        if (!port.find()) {
            throw new IllegalArgumentException("no http port in tracker line: " + startedLine);
        }
        return new TrackerHealth(Integer.parseInt(port.group(1)));
    }

    /**
     * Waits until the tracker is running, has read every markers partition to its end, and tracks no message in
     * flight: then every marker written so far has been acted on.
     */
    void awaitSettled(Duration patience) {
        await().atMost(patience).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("markersLag=0")
                    && response.body().contains("inFlight=0");
        });
    }
}
