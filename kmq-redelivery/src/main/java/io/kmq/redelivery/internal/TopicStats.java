package io.kmq.redelivery.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and gauges of one served kmq topic, written by the stream threads and read by metrics snapshots. Gauges
 * are per task (a task owns one markers partition) and disappear when the task moves away.
 */
public final class TopicStats {

    private final String topic;
    private final LongAdder redeliveries = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder skippedMarkers = new LongAdder();
    private final LongAdder ticks = new LongAdder();
    private final Map<String, TaskGauge> tasks = new ConcurrentHashMap<>();

    /** Stats of {@code topic}. */
    public TopicStats(String topic) {
        this.topic = topic;
    }

    /** The served message topic. */
    public String topic() {
        return topic;
    }

    /** Counts one redelivery. */
    public void redelivered() {
        redeliveries.increment();
    }

    /** Counts one dead letter. */
    public void deadLettered() {
        deadLettered.increment();
    }

    /** Counts one skipped (malformed) marker. */
    public void skipped() {
        skippedMarkers.increment();
    }

    /** Counts one tick sent. */
    public void tickSent() {
        ticks.increment();
    }

    /** Redeliveries so far. */
    public long redeliveries() {
        return redeliveries.sum();
    }

    /** Dead letters so far. */
    public long deadLetters() {
        return deadLettered.sum();
    }

    /** Skipped markers so far. */
    public long skippedMarkers() {
        return skippedMarkers.sum();
    }

    /** Ticks sent so far. */
    public long ticks() {
        return ticks.sum();
    }

    /** The gauge of a task, created when the task's processor starts. */
    public TaskGauge register(String taskId) {
        TaskGauge gauge = new TaskGauge();
        tasks.put(taskId, gauge);
        return gauge;
    }

    /** Drops the gauge of a task whose processor closed. */
    public void unregister(String taskId, TaskGauge gauge) {
        tasks.remove(taskId, gauge);
    }

    /** Messages in flight in the tasks of this instance. */
    public long inFlight() {
        return tasks.values().stream().mapToLong(g -> g.inFlight).sum();
    }

    /** The earliest first START time of the messages in flight, or {@link Long#MAX_VALUE} if none. */
    public long oldestFirstStart() {
        return tasks.values().stream().mapToLong(g -> g.oldestFirstStart).min().orElse(Long.MAX_VALUE);
    }

    /** In-flight count and oldest start of one task; written by its stream thread only. */
    public static final class TaskGauge {
        private volatile long inFlight;
        private volatile long oldestFirstStart = Long.MAX_VALUE;

        /** Sets the in-flight count. */
        public void inFlight(long count) {
            inFlight = count;
        }

        /** The in-flight count. */
        public long inFlight() {
            return inFlight;
        }

        /** Sets the earliest first START time, {@link Long#MAX_VALUE} if nothing is in flight. */
        public void oldestFirstStart(long timestamp) {
            oldestFirstStart = timestamp;
        }
    }
}
