package io.kmq.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one benchmark measured: the summary rows, every run, where and how it ran.
 *
 * @param startedAt when the benchmark started
 * @param duration  how long it took, broker start-up excluded
 * @param command   the command line, for the report ("" if not run from the command line)
 * @param machine   the machine and the broker
 * @param settings  the settings
 * @param rows      one row per scenario and system
 * @param runs      every run, warm-ups included, in the order they ran
 */
public record BenchReport(Instant startedAt, Duration duration, String command, Machine machine,
                          BenchSettings settings, List<ResultRow> rows, List<RunResult> runs) {

    /** Checks the references and copies the lists. */
    public BenchReport {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(settings, "settings");
        rows = List.copyOf(rows);
        runs = List.copyOf(runs);
    }

    /** The row of a scenario and system, if measured. */
    public Optional<ResultRow> row(Scenario scenario, SystemKind system) {
        return rows.stream().filter(r -> r.scenario().equals(scenario.id()) && r.system().equals(system.id()))
                .findFirst();
    }

    /** The same report with another command line. */
    public BenchReport withCommand(String newCommand) {
        return new BenchReport(startedAt, duration, newCommand, machine, settings, rows, runs);
    }
}
