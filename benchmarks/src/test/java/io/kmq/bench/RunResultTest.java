package io.kmq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunResultTest {

    @Test
    void theJitShareSumsTheCompilerThreadsOfEveryProcess() {
        RunResult run = run(Map.of(
                "bench:kmq-bench-recei", 60.0,
                "bench:C# CompilerThre", 20.0,
                "broker:C# CompilerThre", 5.0,
                "broker:data-plane-kafk", 15.0,
                "tracker:C#-not-a-compiler", 0.0));
        assertEquals(0.25, run.jitCpuShare(), 1e-9);
    }

    @Test
    void theJitShareIsUnknownWhereCpuWasNotMeasured() {
        assertNull(run(Map.of()).jitCpuShare());
    }

    @Test
    void aDrainCountsAsCompiledBelowTheSettledShareOrWhereUnknown() {
        assertTrue(Benchmark.isCompiled(run(Map.of("bench:C# CompilerThre", 9.0, "bench:main", 91.0))));
        assertFalse(Benchmark.isCompiled(run(Map.of("bench:C# CompilerThre", 10.0, "bench:main", 90.0))));
        assertTrue(Benchmark.isCompiled(run(Map.of())));
    }

    private static RunResult run(Map<String, Double> cpuMsByThreadGroup) {
        double cpuMs = cpuMsByThreadGroup.values().stream().mapToDouble(Double::doubleValue).sum();
        return new RunResult(Scenario.PREPOPULATED, SystemKind.KMQ, 0, 1000, 1000, 1000, 0, 0, 0, 1, 1000, 10, 1,
                cpuMsByThreadGroup.isEmpty() ? -1 : cpuMs, cpuMsByThreadGroup, -1, null, List.of(), false, null);
    }
}
