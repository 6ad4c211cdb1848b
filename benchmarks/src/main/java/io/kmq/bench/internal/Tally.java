package io.kmq.bench.internal;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The receiving side's bookkeeping of one run: which measured messages were processed (deduplicated by sequence
 * number, since kmq redelivers a message under a new offset), how many deliveries and drops there were, when the last
 * new message arrived, and the end-to-end latency of each message's first processing.
 *
 * <p>Threads: {@link #accept} is called by the receiver thread only (single writer); the counters are volatile so the
 * monitoring thread reads current values. Latency goes to an HdrHistogram {@link Recorder}, which takes values
 * without locks while another thread may read it.
 */
public final class Tally implements DeliveryHandler {

    /** Latencies above one hour are clamped (a run never lasts that long). */
    static final long MAX_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);

    private final int expected;
    private final int partitions;
    private final DropPolicy drops;
    private final boolean recordLatency;
    private final BitSet processed;
    private final byte[] droppedTimes;
    private final BitSet primedPartitions = new BitSet();
    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);

    private volatile long deliveries;
    private volatile long distinct;
    private volatile long duplicates;
    private volatile long dropped;
    private volatile int primed;
    private volatile long firstNanos;
    private volatile long lastNanos;

    /**
     * @param expected      how many measured messages (sequence numbers 0 to expected - 1) the run sends
     * @param partitions    partitions of the topic, one priming message each
     * @param drops         which deliveries to drop
     * @param recordLatency whether the payload send times are meaningful (not for a pre-populated backlog)
     */
    public Tally(int expected, int partitions, DropPolicy drops, boolean recordLatency) {
        this.expected = expected;
        this.partitions = partitions;
        this.drops = drops;
        this.recordLatency = recordLatency;
        this.processed = new BitSet(expected);
        this.droppedTimes = drops.dropsAny() ? new byte[expected] : null;
    }

    @Override
    public boolean accept(byte[] value, long nowNanos) {
        long sequence = Payload.sequence(value);
        if (sequence < 0) {
            int partition = (int) (-1 - sequence);
            if (partition < partitions && !primedPartitions.get(partition)) {
                primedPartitions.set(partition);
                primed = primed + 1;
            }
            return true;
        }
        if (sequence >= expected) {
            throw new IllegalStateException("message with sequence " + sequence + " (expected: < " + expected
                    + "; a record of another run in this topic?)");
        }
        int seq = (int) sequence;
        deliveries = deliveries + 1;
        if (firstNanos == 0) {
            firstNanos = nowNanos;
        }
        if (droppedTimes != null && drops.drop(seq, droppedTimes[seq])) {
            droppedTimes[seq]++;
            dropped = dropped + 1;
            return false;
        }
        if (processed.get(seq)) {
            duplicates = duplicates + 1;
            return true;
        }
        processed.set(seq);
        if (recordLatency) {
            long micros = (nowNanos - Payload.sendNanos(value)) / 1_000;
            latency.recordValue(Math.max(0, Math.min(MAX_LATENCY_MICROS, micros)));
        }
        lastNanos = nowNanos;
        distinct = distinct + 1;
        return true;
    }

    /** Measured messages processed at least once. */
    public long distinct() {
        return distinct;
    }

    /** Deliveries of measured messages, dropped ones and duplicates included. */
    public long deliveries() {
        return deliveries;
    }

    /** Deliveries of messages that had been processed already. */
    public long duplicates() {
        return duplicates;
    }

    /** Deliveries dropped by the drop policy. */
    public long dropped() {
        return dropped;
    }

    /** Partitions whose priming message arrived. */
    public int primedPartitions() {
        return primed;
    }

    /** When the first measured message was delivered ({@link System#nanoTime()}), 0 if none was. */
    public long firstNanos() {
        return firstNanos;
    }

    /** When the last new measured message was processed ({@link System#nanoTime()}), 0 if none was. */
    public long lastNanos() {
        return lastNanos;
    }

    /** Whether every expected message was processed. */
    public boolean complete() {
        return distinct >= expected;
    }

    /** Whether latency is recorded. */
    public boolean recordsLatency() {
        return recordLatency;
    }

    /** The latencies (µs) recorded since the last call; call once at the end of a run for all of them. */
    public Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }
}
