package io.kmq.internal;

import io.kmq.Marker;
import io.kmq.MarkerKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the START markers of polled batches (one START_RANGE per run of consecutive offsets, or one START per record
 * without {@code kmq.marker.ranges}) and holds the prefetched batches: polled, START markers sent, not yet handed out,
 * oldest first.
 * Confined to the polling thread, like the consumer (whose rebalance callbacks run on it too).
 *
 * <p>Prefetched records are not committed before they are handed out. When they will never be (their partition is
 * revoked, or the client closes), they get an END marker, awaited while this client still owns the partition, so that
 * the tracker forgets them; their next owner polls them again from the committed offset and writes a fresh START. If
 * a partition is lost instead (another member may own it already), nothing is written: the next owner's START
 * refreshes the deadline of the old one, so the records are redelivered only if nobody polls them within the message
 * timeout.
 */
public final class BatchStarter<K, V> {

    private static final Logger log = LoggerFactory.getLogger(BatchStarter.class);

    private final MarkerSender markers;
    private final boolean ranges;
    private final Duration timeout;
    private final Clock clock;
    private final Deque<StartedBatch<K, V>> held = new ArrayDeque<>();
    private int heldCount;

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
        List<MarkerSender.Write> writes;
        if (ranges) {
            writes = new ArrayList<>(runs.size());
            for (MarkerRun run : runs) {
                writes.add(new MarkerSender.Write(run.key(), run.start(timeout), run.count()));
            }
        } else {
            Marker start = new Marker.Start(timeout);
            writes = new ArrayList<>(records.size());
            for (ConsumerRecord<K, V> record : records) {
                writes.add(new MarkerSender.Write(new MarkerKey(record.partition(), record.offset()), start, 1));
            }
        }
        return new StartedBatch<>(records, runs, markers.send(writes), clock.instant());
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

    /** Takes the oldest prefetched batch, or null if there is none. */
    public StartedBatch<K, V> take() {
        StartedBatch<K, V> batch = held.pollFirst();
        if (batch != null) {
            heldCount -= batch.records().size();
        }
        return batch;
    }

    /** Forgets every prefetched batch and returns their records, oldest first (to seek them back). */
    public List<ConsumerRecord<K, V>> takeAllRecords() {
        List<ConsumerRecord<K, V>> records = new ArrayList<>(heldCount);
        held.forEach(batch -> records.addAll(batch.records()));
        held.clear();
        heldCount = 0;
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
     * Drops the prefetched records of {@code partitions}, which this client no longer owns or is about to give up.
     *
     * @param revoked true when the partitions are revoked (still owned until the callback returns): END markers are
     *                written and awaited; false when they are lost
     */
    public void drop(Collection<TopicPartition> partitions, boolean revoked) {
        List<ConsumerRecord<K, V>> dropped = new ArrayList<>();
        Deque<StartedBatch<K, V>> kept = new ArrayDeque<>();
        for (Iterator<StartedBatch<K, V>> it = held.iterator(); it.hasNext(); ) {
            StartedBatch<K, V> batch = it.next();
            List<ConsumerRecord<K, V>> ofPartitions = batch.recordsOf(partitions);
            dropped.addAll(ofPartitions);
            StartedBatch<K, V> rest = ofPartitions.isEmpty() ? batch : batch.without(partitions);
            if (!rest.records().isEmpty()) {
                kept.addLast(rest);
            }
        }
        if (dropped.isEmpty()) {
            return;
        }
        held.clear();
        held.addAll(kept);
        heldCount -= dropped.size();
        if (revoked) {
            end(dropped);
        }
        log.info("dropped {} prefetched record(s) of partitions {} never handed out; not committed, their next owner "
                + "polls them again", dropped.size(), partitions);
    }

    /** Drops every prefetched record with an END marker (on close, while the partitions are still owned). */
    public void dropAll() {
        List<ConsumerRecord<K, V>> records = takeAllRecords();
        if (!records.isEmpty()) {
            end(records);
            log.info("closing with {} prefetched record(s) never handed out: END written, not committed; the next "
                    + "owner polls them again", records.size());
        }
    }

    /** Writes END markers for records never handed out, and waits for them; a failure is counted and logged. */
    private void end(List<ConsumerRecord<K, V>> records) {
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
