package io.kmq.bench.internal;

import io.kmq.KmqConfig;
import io.kmq.redelivery.TrackerSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The child JVM of {@link TrackerHost}: starts and stops redelivery trackers on the commands it reads from stdin, one
 * per line, and answers each on stdout.
 * <ul>
 *   <li>{@code start <id> <replication factor> <kmq.properties>}: starts a tracker for that configuration and answers
 *       {@code started <id>} once it runs and has caught up with its markers, or {@code failed <id> <why>};</li>
 *   <li>{@code stop <id>}: stops it and deletes its state, answers {@code stopped <id>} or {@code failed <id> <why>}.</li>
 * </ul>
 * At the end of stdin (the benchmark exited) it stops every tracker still running and exits.
 */
public final class TrackerHostMain {

    private final Map<String, AutoCloseable> running = new LinkedHashMap<>();
    private final PrintStream out;

    TrackerHostMain(PrintStream out) {
        this.out = out;
    }

    /** Serves the commands of stdin until its end. */
    public static void main(String[] args) throws IOException {
        new TrackerHostMain(System.out).serve(System.in);
    }

    /** Answers the commands until their end, then stops every tracker still running. */
    void serve(InputStream commands) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(commands, StandardCharsets.UTF_8));
        out.println("ready");
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            answer(line.trim().split(" ", 4));
        }
        for (String id : new ArrayList<>(running.keySet())) { // stop removes it from the map
            stop(id);
        }
    }

    private void answer(String[] command) {
        if (command.length == 4 && command[0].equals("start")) {
            start(command[1], Short.parseShort(command[2]), Path.of(command[3]));
        } else if (command.length == 2 && command[0].equals("stop")) {
            stop(command[1]);
        } else {
            out.println("failed ? unknown command: " + String.join(" ", command));
        }
    }

    private void start(String id, short replicationFactor, Path properties) {
        try {
            Properties loaded = load(properties);
            Map<String, String> trackerSettings = new TreeMap<>();
            for (String key : loaded.stringPropertyNames()) {
                if (key.startsWith(TrackerSettings.PREFIX)) {
                    trackerSettings.put(key, loaded.getProperty(key));
                    loaded.remove(key);
                }
            }
            KmqConfig config = KmqConfig.from(loaded);
            running.put(id, Trackers.redelivery(replicationFactor, trackerSettings).start(config));
            out.println("started " + id);
        } catch (RuntimeException | IOException e) {
            out.println("failed " + id + " " + oneLine(e));
        }
    }

    private void stop(String id) {
        AutoCloseable tracker = running.remove(id);
        if (tracker == null) {
            out.println("failed " + id + " no such tracker");
            return;
        }
        try {
            tracker.close();
            out.println("stopped " + id);
        } catch (Exception e) {
            out.println("failed " + id + " " + oneLine(e));
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }

    private static String oneLine(Exception e) {
        return String.valueOf(e).replace('\n', ' ');
    }
}
