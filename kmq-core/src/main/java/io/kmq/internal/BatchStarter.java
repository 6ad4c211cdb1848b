package io.kmq.internal;

import io.kmq.Marker;
import io.kmq.MarkerKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Sends the START markers of polled batches (one START_RANGE per run of consecutive offsets, or one START per record
 * without {@code kmq.marker.ranges}) and holds the prefetched batches: polled, START markers sent, not yet handed out,
 * oldest first. Confined to the polling thread, like the consumer (whose rebalance callbacks run on it too).
 *
 * <p>The oldest held batches whose START markers are all durable may have their offsets committed before they are
 * handed out ({@link #takeDurable()}): a crash then leaves them to the tracker (redelivered after the timeout) instead
 * of polled again by the next owner <em>and</em> redelivered. When held records will never be handed out (their
 * partition is revoked, or the client closes), the caller commits the offset back to the first of them and then ends
 * them ({@link #end}), so that the tracker forgets them and their next owner polls them again. If a partition is lost
 * instead (another member may own it already), nothing is written: the records are polled again if their offsets
 * were not committed yet (the next owner's START refreshes their deadline), else redelivered after the timeout.
 */
public final class BatchStarter<K, V> {

    private final MarkerSender markers;
    private final boolean ranges;
    private final Duration timeout;
    private final Clock clock;
    private final Deque<StartedBatch<K, V>> held = new ArrayDeque<>();
    /** How many records' START markers the broker acknowledged (updated from the producer's thread). */
    private final LongAdder acknowledged = new LongAdder();
    private int heldCount;
    /** How many of the oldest held batches were returned by {@link #takeDurable()}: their offsets are committed. */
    private int committedBatches;

    /**
     * @param ranges  whether to write range markers
     * @param timeout the message timeout written in START markers
     */
    public BatchStarter(MarkerSender markers, boolean ranges, Duration timeout, Clock clock) {
        this.markers = markers;
        this.ranges = ranges;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Whether the START markers of the newest prefetched batch are still in flight: the application is faster than a
     * broker round trip, so a deeper pipeline pays off. False when nothing is held.
     */
    public boolean newestPending() {
        return !held.isEmpty() && !held.peekLast().starts().isDone();
    }

    /**
     * Sends the START markers of a prefetched batch again, for a batch held so long that its timeout ran partly out:
     * the tracker takes a repeated START as the new deadline.
     */
    public StartedBatch<K, V> restart(StartedBatch<K, V> batch) {
        return start(batch.records());
    }

    /** Sends the START markers of {@code records} (not empty, as polled) without waiting for them. */
    public StartedBatch<K, V> start(List<ConsumerRecord<K, V>> records) {
        List<MarkerRun> runs = MarkerRun.of(records);
        if (ranges) {
            return new StartedBatch<>(records, runs, markers.startRuns(runs, timeout, acknowledged), clock.instant());
        }
        Marker start = new Marker.Start(timeout);
        List<MarkerSender.Write> writes = new ArrayList<>(records.size());
        for (ConsumerRecord<K, V> record : records) {
            writes.add(new MarkerSender.Write(new MarkerKey(record.partition(), record.offset()), start, 1));
        }
        return new StartedBatch<>(records, runs, markers.send(writes, acknowledged), clock.instant());
    }

    /** How many records' START markers the broker has acknowledged so far (a batch started again counts again). */
    public long acknowledgedRecords() {
        return acknowledged.sum();
    }

    /** Holds {@code batch} as the newest prefetched batch. */
    public void hold(StartedBatch<K, V> batch) {
        held.addLast(batch);
        heldCount += batch.records().size();
    }

    /** The oldest prefetched batch, or null if there is none; it stays held. */
    public StartedBatch<K, V> peek() {
        return held.peekFirst();
    }

    /** Whether the oldest prefetched batch was returned by {@link #takeDurable()}: its offsets are committed. */
    public boolean oldestCommitted() {
        return committedBatches > 0;
    }

    /**
     * The prefetched batches, oldest first, not returned before, whose START markers the broker has all acknowledged,
     * up to the first that is not (in flight or failed); the caller commits their offsets. Offsets are so committed
     * in poll order, and never past a record without a durable START marker.
     */
    public List<StartedBatch<K, V>> takeDurable() {
        List<StartedBatch<K, V>> durable = new ArrayList<>();
        int index = 0;
        for (StartedBatch<K, V> batch : held) {
            if (index++ < committedBatches) {
                continue;
            }
            if (!batch.starts().succeeded()) {
                break;
            }
            durable.add(batch);
        }
        committedBatches += durable.size();
        return durable;
    }

    /** Takes the oldest prefetched batch, or null if there is none. */
    public StartedBatch<K, V> take() {
        StartedBatch<K, V> batch = held.pollFirst();
        if (batch != null) {
            heldCount -= batch.records().size();
            committedBatches = Math.max(0, committedBatches - 1);
        }
        return batch;
    }

    /** Forgets every prefetched batch and returns their records, oldest first (to seek them back, or end them). */
    public List<ConsumerRecord<K, V>> takeAllRecords() {
        List<ConsumerRecord<K, V>> records = new ArrayList<>(heldCount);
        held.forEach(batch -> records.addAll(batch.records()));
        held.clear();
        heldCount = 0;
        committedBatches = 0;
        return records;
    }

    /** How many prefetched records are held. */
    public int heldCount() {
        return heldCount;
    }

    /** How many prefetched batches are held. */
    public int heldBatches() {
        return held.size();
    }

    /**
     * Forgets the prefetched records of {@code partitions}, which this client no longer owns or is about to give up,
     * and returns them, oldest first; nothing is written (see {@link #end}).
     */
    public List<ConsumerRecord<K, V>> drop(Collection<TopicPartition> partitions) {
        List<ConsumerRecord<K, V>> dropped = new ArrayList<>();
        Deque<StartedBatch<K, V>> kept = new ArrayDeque<>();
        int index = 0;
        int keptCommitted = 0;
        for (StartedBatch<K, V> batch : held) {
            List<ConsumerRecord<K, V>> ofPartitions = batch.recordsOf(partitions);
            dropped.addAll(ofPartitions);
            StartedBatch<K, V> rest = ofPartitions.isEmpty() ? batch : batch.without(partitions);
            if (!rest.records().isEmpty()) {
                kept.addLast(rest);
                if (index < committedBatches) {
                    keptCommitted++; // the committed batches are the oldest, so those kept stay the oldest
                }
            }
            index++;
        }
        if (!dropped.isEmpty()) {
            held.clear();
            held.addAll(kept);
            heldCount -= dropped.size();
            committedBatches = keptCommitted;
        }
        return dropped;
    }

    /**
     * Writes END markers for records never handed out, once the group's offset is back at them, and waits for them: the
     * tracker forgets them and their next owner polls them again. A failure is counted and logged (the tracker then
     * redelivers them too: duplicates, nothing lost).
     */
    public void end(List<ConsumerRecord<K, V>> records) {
        if (records.isEmpty()) {
            return;
        }
        List<MarkerSender.Write> writes = new ArrayList<>();
        if (ranges) {
            for (MarkerRun run : MarkerRun.of(sorted(records))) {
                writes.add(new MarkerSender.Write(run.key(), run.end(), run.count()));
            }
        } else {
            Marker end = new Marker.End();
            for (ConsumerRecord<K, V> record : records) {
                writes.add(new MarkerSender.Write(new MarkerKey(record.partition(), record.offset()), end, 1));
            }
        }
        markers.await(markers.send(writes));
    }

    /** In partition order, then offset order: records of several batches, grouped into runs. */
    private static <K, V> List<ConsumerRecord<K, V>> sorted(List<ConsumerRecord<K, V>> records) {
        List<ConsumerRecord<K, V>> sorted = new ArrayList<>(records);
        sorted.sort(java.util.Comparator.<ConsumerRecord<K, V>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return sorted;
    }
}
