package io.kmq.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where the benchmark runs kmq's redelivery tracker for each kmq run. */
public enum TrackerPlacement {

    /**
     * One tracker JVM for the whole benchmark, kept between kmq runs (a tracker is started in it for each run and
     * stopped after): a warm sidecar, as deployed, whose JIT compilation is not redone during every measured run.
     */
    JVM("jvm", "in one JVM of its own (C1 only) kept for the whole benchmark (warm)"),
    /** A fresh tracker JVM for every kmq run: its start-up and JIT warm-up compete with every measured run. */
    JVM_PER_RUN("jvm-per-run", "in a fresh JVM of its own (C1 only) per kmq run"),
    /** In the benchmark's JVM, competing with the client for CPU and heap. */
    IN_PROCESS("in-process", "in the benchmark's JVM"),
    /**
     * Not running: nothing is redelivered, so only for scenarios that drop nothing; measures what the tracker costs
     * the client's machine, not a way to deploy kmq.
     */
    NONE("none", "nowhere (not started: nothing is redelivered)");

    private final String flag;
    private final String description;

    TrackerPlacement(String flag, String description) {
        this.flag = flag;
        this.description = description;
    }

    /** Where the tracker runs, in words, for the report: "in ...". */
    public String description() {
        return description;
    }

    /** The value of {@code --kmq-tracker} that selects it. */
    public String flag() {
        return flag;
    }

    /** The placement named by {@code flag}; throws naming {@code --kmq-tracker} and the valid values otherwise. */
    public static TrackerPlacement ofFlag(String flag) {
        for (TrackerPlacement placement : values()) {
            if (placement.flag.equals(flag)) {
                return placement;
            }
        }
        throw new IllegalArgumentException("--kmq-tracker : " + flag + " (expected one of: "
                + Arrays.stream(values()).map(TrackerPlacement::flag).collect(Collectors.joining(", ")) + ")");
    }
}
