package io.kmq.redelivery.internal;

import java.util.function.BooleanSupplier;

/**
 * Writes the TICK markers of one task's markers partition at the wall time the {@link PartitionClock} asks for. A
 * tick changes no state, so it need not be part of the task's transaction: {@link Ticker} writes it at once with a
 * producer of its own, visible without waiting for a commit; {@link PunctuatedTicks} forwards it in the transaction
 * at the next punctuation (for the TopologyTestDriver).
 */
public interface Ticks {

    /**
     * Writes a tick at wall time {@code at} (at once if that has passed) if {@code stillNeeded} then says so; replaces
     * a tick scheduled for later, and is ignored if one is scheduled for earlier.
     */
    void at(long at, BooleanSupplier stillNeeded);

    /** Called at every punctuation, on the stream thread. */
    default void punctuate(long now) {
    }

    /** Cancels a scheduled tick (the task is closing). */
    void cancel();

    /** Creates the ticks of one task. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param markersTopic the task's markers topic
         * @param partition    the task's markers partition
         * @param outputs      the task's (transactional) outputs
         */
        Ticks create(String markersTopic, int partition, TrackerOutputs outputs);
    }
}
