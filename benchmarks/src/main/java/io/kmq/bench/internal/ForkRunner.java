package io.kmq.bench.internal;

import io.kmq.testkit.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Runs the benchmark several times, each in a fresh JVM of its own (a fork, like JMH's), one after another, and
 * summarizes kmq's goals over all of them ({@link ForkSummary}): {@code forks.md} and {@code forks.json} beside each
 * fork's own report in {@code fork-N/}.
 */
public final class ForkRunner {

    /** The longest one fork may take: a full run takes 10 minutes on two cores. */
    static final Duration FORK_TIMEOUT = Duration.ofHours(3);

    private ForkRunner() {
    }

    /**
     * A fork's arguments: the parent's, without {@code --forks} and {@code --out} (in either spelling), and with
     * {@code --out} set to {@code out}.
     */
    static List<String> forkArguments(List<String> args, Path out) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--forks") || arg.equals("--out")) {
                i++; // and its value
            } else if (!arg.startsWith("--forks=") && !arg.startsWith("--out=")) {
                result.add(arg);
            }
        }
        result.add("--out");
        result.add(out.toString());
        return result;
    }

    /**
     * Runs {@code forks} forks of {@code mainClass} with {@code args} one after another and writes the summary into
     * {@code out}.
     *
     * @param jvmOptions the forks' JVM options (the benchmark's fixed, pre-touched heap)
     * @param progress   gets every line the forks print, prefixed with the fork, and the summary
     * @return 0, or the exit code of the first fork that failed (the later ones are not run)
     */
    public static int run(String mainClass, List<String> args, int forks, Path out, List<String> jvmOptions,
                          String command, Consumer<String> progress) {
        List<List<Targets.Target>> goals = new ArrayList<>();
        for (int fork = 1; fork <= forks; fork++) {
            Path dir = out.resolve("fork-" + fork);
            createDirectories(dir);
            String prefix = String.format(Locale.ROOT, "[fork %d/%d] ", fork, forks);
            progress.accept(prefix + "starting a fresh JVM (stderr: " + dir.resolve("stderr.log") + ")");
            OptionalInt exit;
            try (JavaProcess process = JavaProcess.start("kmq-bench-fork-" + fork, jvmOptions, mainClass,
                    forkArguments(args, dir), line -> progress.accept(prefix + line), dir.resolve("stderr.log"))) {
                exit = process.awaitExit(FORK_TIMEOUT);
            }
            if (exit.isEmpty() || exit.getAsInt() != 0) {
                progress.accept(prefix + (exit.isEmpty() ? "did not finish within " + FORK_TIMEOUT + ": stopped"
                        : "exited with " + exit.getAsInt()) + "; no summary written");
                return exit.isEmpty() ? 1 : exit.getAsInt();
            }
            goals.add(JsonReport.readTargets(dir.resolve("latest.json")));
        }
        ForkSummary summary = new ForkSummary(goals);
        String markdown = summary.markdown(command);
        write(out.resolve("forks.md"), markdown);
        write(out.resolve("forks.json"), summary.json(command));
        progress.accept("");
        markdown.lines().forEach(progress);
        progress.accept("");
        progress.accept("wrote " + out.resolve("forks.md"));
        progress.accept("wrote " + out.resolve("forks.json"));
        return 0;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
