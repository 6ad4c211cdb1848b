package io.kmq.bench.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * kmq's goals over several forks of the benchmark (each the same command in a fresh JVM): the rounds of every fork
 * pooled (each round still pairs kmq with the other system within its fork) and judged by their median. Beside it
 * each fork's own median: the rounds of one JVM share its compiled code and memory layout, which can favour or hinder
 * a system in all of them, so forks can differ more than the rounds of one fork do.
 */
public final class ForkSummary {

    private final List<List<Targets.Target>> forks;
    private final List<Targets.Target> pooled;

    /**
     * @param forks the goals of each fork, in fork order ({@link JsonReport#readTargets})
     * @throws IllegalArgumentException if there is no fork
     */
    public ForkSummary(List<List<Targets.Target>> forks) {
        if (forks.isEmpty()) {
            throw new IllegalArgumentException("forks : [] (expected: at least one)");
        }
        this.forks = forks.stream().map(List::copyOf).toList();
        this.pooled = this.forks.get(0).stream().map(goal -> goal.judgedOn(roundsOf(goal.goal()))).toList();
    }

    /** Every goal judged on the rounds of all forks, in the first fork's order of goals. */
    public List<Targets.Target> pooled() {
        return pooled;
    }

    /** The median of {@code goal} in each fork, in fork order; null where a fork did not measure it. */
    public List<Double> forkMedians(String goal) {
        List<Double> medians = new ArrayList<>();
        for (List<Targets.Target> fork : forks) {
            medians.add(fork.stream().filter(t -> t.goal().equals(goal)).findFirst()
                    .map(Targets.Target::measured).orElse(null));
        }
        return medians;
    }

    private List<Double> roundsOf(String goal) {
        return forks.stream().flatMap(List::stream).filter(t -> t.goal().equals(goal))
                .flatMap(t -> t.perRound().stream()).toList();
    }

    /** A Markdown page: the pooled goals, how many rounds each pooled, and each fork's median. */
    public String markdown(String command) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# kmq benchmark: %d forks%n%n", forks.size()));
        md.append(String.format(Locale.ROOT, "Command: `%s`. Each fork ran the same benchmark in a fresh JVM (and, "
                + "unless an external cluster was given, a fresh broker); its own report is in `fork-N/`. A goal is "
                + "judged by the median of every round of every fork; each round pairs kmq with the other system "
                + "within its fork.%n%n", command));
        md.append("| goal | target | all rounds (median) | 95 % CI | rounds | median of each fork | met |\n");
        md.append("|---|---|--:|--:|--:|---|---|\n");
        for (Targets.Target goal : pooled) {
            String forkMedians = forkMedians(goal.goal()).stream()
                    .map(m -> m == null ? "–" : goal.format(m)).collect(Collectors.joining(", "));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s |%n", goal.goal(), goal.target(),
                    goal.measured() == null ? "–" : goal.format(goal.measured()), goal.formatInterval(),
                    goal.perRound().size(), forkMedians, goal.verdict()));
        }
        md.append('\n').append(Targets.INTERVAL_NOTE).append('\n');
        return md.toString();
    }

    /** The summary as JSON: the command, the fork count and each pooled goal with {@code fork_medians}. */
    public String json(String command) {
        ObjectNode root = JsonReport.object();
        root.put("command", command);
        root.put("forks", forks.size());
        ArrayNode goals = root.putArray("targets");
        for (Targets.Target goal : pooled) {
            ObjectNode node = JsonReport.target(goal);
            ArrayNode medians = node.putArray("fork_medians");
            forkMedians(goal.goal()).forEach(m -> {
                if (m == null) {
                    medians.addNull();
                } else {
                    medians.add(JsonReport.round(m, 4));
                }
            });
            goals.add(node);
        }
        return JsonReport.text(root);
    }
}
