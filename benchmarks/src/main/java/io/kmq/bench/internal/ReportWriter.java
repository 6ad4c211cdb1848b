package io.kmq.bench.internal;

import io.kmq.bench.BenchReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a report's files into a directory: {@code latest.json}, a timestamped copy {@code run-<UTC time>.json},
 * {@code report.md} and the SVG charts.
 */
public final class ReportWriter {

    private static final Logger log = LoggerFactory.getLogger(ReportWriter.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ReportWriter() {
    }

    /**
     * Writes every file; a chart that cannot be drawn is logged and left out, the other files are still written.
     *
     * @return the paths written
     * @throws UncheckedIOException if the directory or a report file cannot be written
     */
    public static List<Path> write(BenchReport report, Path directory) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            String json = JsonReport.render(report);
            written.add(Files.writeString(directory.resolve("latest.json"), json, StandardCharsets.UTF_8));
            written.add(Files.writeString(directory.resolve("run-" + STAMP.format(report.startedAt()) + ".json"),
                    json, StandardCharsets.UTF_8));
            List<String> charts = List.of();
            try {
                charts = Charts.write(report, directory);
                charts.forEach(chart -> written.add(directory.resolve(chart)));
            } catch (RuntimeException e) {
                log.warn("charts not written (the report lists none): {}", e.toString(), e);
            }
            written.add(Files.writeString(directory.resolve("report.md"), MarkdownReport.render(report, charts),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + directory, e);
        }
        return written;
    }
}
