package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForkSummaryTest {

    private static final String THROUGHPUT = "prepopulated throughput kmq/plain (median of the rounds)";
    private static final String LATENCY = "latency p99 kmq − plain (ms, median of the rounds)";

    private static List<Targets.Target> fork(List<Double> throughput, List<Double> latency) {
        return List.of(Targets.judge(THROUGHPUT, 0.90, true, true, throughput),
                Targets.judge(LATENCY, 5.0, false, false, latency));
    }

    @Test
    void poolsTheRoundsOfEveryForkAndJudgesTheirMedian() {
        // one fork whose JVM favoured kmq cannot decide alone: its median meets the goal, the pooled one does not
        ForkSummary summary = new ForkSummary(List.of(
                fork(List.of(0.95, 0.97, 0.96), List.of(1.0, 2.0)),
                fork(List.of(0.85, 0.86, 0.84), List.of(6.0, 7.0)),
                fork(List.of(0.88, 0.87, 0.89), List.of(3.0, 9.0))));
        Targets.Target throughput = summary.pooled().get(0);
        assertEquals(9, throughput.perRound().size());
        assertEquals(0.88, throughput.measured(), 1e-9);
        assertFalse(throughput.met());
        assertEquals(List.of(0.96, 0.85, 0.88), summary.forkMedians(THROUGHPUT));
        Targets.Target latency = summary.pooled().get(1);
        assertEquals(6, latency.perRound().size());
        assertEquals(4.5, latency.measured(), 1e-9); // median of 1, 2, 3, 6, 7, 9
        assertTrue(latency.met());
    }

    @Test
    void aForkThatDidNotMeasureAGoalShowsAsMissing() {
        ForkSummary summary = new ForkSummary(List.of(
                fork(List.of(0.95), List.of(1.0)),
                fork(List.of(0.93), List.of())));
        assertEquals(Arrays.asList(1.0, null), summary.forkMedians(LATENCY));
        assertEquals(1.0, summary.pooled().get(1).measured(), 1e-9);
        assertTrue(summary.markdown("kmq bench --forks 2").contains("| +1.00 | – | 1 | +1.00, – | yes |"),
                summary.markdown("kmq bench --forks 2"));
        assertNull(new ForkSummary(List.of(fork(List.of(), List.of()))).pooled().get(0).met());
    }

    @Test
    void markdownAndJsonNameTheGoalsTheirRoundsAndEachForksMedian() throws Exception {
        ForkSummary summary = new ForkSummary(List.of(
                fork(List.of(0.95, 0.97), List.of(1.0)),
                fork(List.of(0.85, 0.87), List.of(2.0))));
        String md = summary.markdown("kmq bench --forks 2");
        assertTrue(md.startsWith("# kmq benchmark: 2 forks"), md);
        assertTrue(md.contains("| " + THROUGHPUT + " | ≥ 0.9 | 0.91 | – | 4 | 0.96, 0.86 | yes |"), md);
        JsonNode json = new ObjectMapper().readTree(summary.json("kmq bench --forks 2"));
        assertEquals(2, json.get("forks").asInt());
        JsonNode goal = json.get("targets").get(0);
        assertEquals(0.91, goal.get("measured").asDouble(), 1e-9);
        assertEquals(4, goal.get("per_round").size());
        assertEquals(0.86, goal.get("fork_medians").get(1).asDouble(), 1e-9);
        assertEquals(0.9, goal.get("bound").asDouble(), 1e-9);
        assertTrue(goal.get("at_least").asBoolean());
    }

    @Test
    void theIntervalOfThePooledRoundsTellsWhetherTheyDecideTheGoal() throws Exception {
        // 9 rounds: the 95 % interval runs from the 2nd smallest to the 2nd largest
        ForkSummary summary = new ForkSummary(List.of(
                fork(List.of(0.95, 0.97, 0.96), List.of(1.0, 2.0, 3.0)),
                fork(List.of(0.85, 0.86, 0.84), List.of(4.0, 4.5, 3.5)),
                fork(List.of(0.88, 0.87, 0.89), List.of(2.5, 1.5, 0.5))));
        String md = summary.markdown("kmq bench --forks 3");
        assertTrue(md.contains("| " + THROUGHPUT + " | ≥ 0.9 | 0.88 | 0.85–0.96 | 9 | 0.96, 0.85, 0.88 "
                + "| **no** (undecided) |"), md);
        assertTrue(md.contains("| " + LATENCY + " | ≤ 5.0 | +2.50 | +1.00 to +4.00 | 9 | +2.00, +4.00, +1.50 | yes |"),
                md);
        assertTrue(md.contains(Targets.INTERVAL_NOTE), md);
        JsonNode goal = new ObjectMapper().readTree(summary.json("kmq bench --forks 3")).get("targets").get(0);
        assertEquals(0.85, goal.get("ci95_low").asDouble(), 1e-9);
        assertEquals(0.96, goal.get("ci95_high").asDouble(), 1e-9);
    }

    @Test
    void needsAFork() {
        assertThrows(IllegalArgumentException.class, () -> new ForkSummary(List.of()));
    }

    @Test
    void aForkRunsTheSameArgumentsWithItsOwnOutputDirectory() {
        Path out = Path.of("results", "fork-2");
        assertEquals(List.of("--scenarios", "prepopulated", "--repeats=2", "--out", out.toString()),
                ForkRunner.forkArguments(List.of("--forks", "3", "--scenarios", "prepopulated", "--out", "results",
                        "--repeats=2", "--forks=3", "--out=elsewhere"), out));
    }
}
