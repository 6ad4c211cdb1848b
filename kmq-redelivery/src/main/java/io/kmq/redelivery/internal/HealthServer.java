package io.kmq.redelivery.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The sidecar's HTTP endpoints, on the JDK's built-in server with one named thread: {@code GET /health} answers 200
 * when the tracker runs and is caught up, else 503, with a one-line status; {@code GET /metrics} answers the
 * Prometheus text format.
 */
public final class HealthServer implements AutoCloseable {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts the server.
     *
     * @param port    the port to listen on, on all interfaces; 0 picks a free one (see {@link #port()})
     * @param healthy whether {@code /health} answers 200
     * @param status  the one-line body of {@code /health}
     * @param scrape  the body of {@code /metrics}
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static HealthServer start(int port, BooleanSupplier healthy, Supplier<String> status,
                                     Supplier<String> scrape) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on HTTP port " + port, e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "kmq-tracker-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/health", exchange -> {
            boolean up = healthy.getAsBoolean();
            respond(exchange, up ? 200 : 503, PLAIN_TEXT, (up ? "UP " : "DOWN ") + status.get() + "\n");
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, scrape.get()));
        server.createContext("/", exchange -> respond(exchange, 404, PLAIN_TEXT,
                "not found (expected: /health or /metrics)\n"));
        server.start();
        return new HealthServer(server, executor);
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                status = 405;
                body = "method not allowed (expected: GET)\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** Stops listening and the server thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
