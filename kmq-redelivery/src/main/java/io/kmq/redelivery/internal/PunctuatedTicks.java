package io.kmq.redelivery.internal;

import io.kmq.Marker;
import io.kmq.MarkerKey;
import java.util.function.BooleanSupplier;

/**
 * Ticks forwarded through the task's transaction at the first punctuation at or after their time: visible only after
 * the next commit. Used where no producer of its own is wanted (the TopologyTestDriver).
 */
public final class PunctuatedTicks implements Ticks {

    /** The factory. */
    public static final Ticks.Factory FACTORY = (topic, partition, outputs) -> new PunctuatedTicks(outputs, partition);

    private static final Marker.Tick TICK = new Marker.Tick();

    private final TrackerOutputs outputs;
    private final int partition;
    private long pendingAt = Long.MAX_VALUE;
    private BooleanSupplier pendingCheck;

    private PunctuatedTicks(TrackerOutputs outputs, int partition) {
        this.outputs = outputs;
        this.partition = partition;
    }

    @Override
    public void at(long at, BooleanSupplier stillNeeded) {
        if (at < pendingAt) {
            pendingAt = at;
            pendingCheck = stillNeeded;
        }
    }

    @Override
    public void punctuate(long now) {
        if (pendingAt <= now) {
            BooleanSupplier check = pendingCheck;
            cancel();
            if (check.getAsBoolean()) {
                outputs.marker(MarkerKey.tick(partition), TICK, now);
            }
        }
    }

    @Override
    public void cancel() {
        pendingAt = Long.MAX_VALUE;
        pendingCheck = null;
    }
}
