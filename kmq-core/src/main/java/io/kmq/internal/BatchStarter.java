package io.kmq.internal;

import io.kmq.Marker;
import io.kmq.MarkerKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the START markers of polled batches (one START_RANGE per run of consecutive offsets, or one START per record
 * without {@code kmq.marker.ranges}) and holds the prefetched batch: polled, START markers sent, not yet handed out.
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
    private StartedBatch<K, V> held;

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

    /** Holds {@code batch} (or nothing, if null) as the prefetched batch. */
    public void hold(StartedBatch<K, V> batch) {
        held = batch;
    }

    /** Takes the prefetched batch, or null if there is none. */
    public StartedBatch<K, V> take() {
        StartedBatch<K, V> batch = held;
        held = null;
        return batch;
    }

    /** How many prefetched records are held. */
    public int heldCount() {
        return held == null ? 0 : held.records().size();
    }

    /**
     * Drops the prefetched records of {@code partitions}, which this client no longer owns or is about to give up.
     *
     * @param writeEnd true when the partitions are revoked (still owned until the callback returns): END markers are
     *                 written and awaited; false when they are lost
     */
    public void drop(Collection<TopicPartition> partitions, boolean writeEnd) {
        if (held == null) {
            return;
        }
        List<ConsumerRecord<K, V>> dropped = held.recordsOf(partitions);
        if (dropped.isEmpty()) {
            return;
        }
        held = held.without(partitions);
        if (held.records().isEmpty()) {
            held = null;
        }
        if (writeEnd) {
            end(dropped);
        }
        log.info("dropped {} prefetched record(s) of partitions {} never handed out; not committed, their next owner "
                + "polls them again", dropped.size(), partitions);
    }

    /** Drops every prefetched record with an END marker (on close, while the partitions are still owned). */
    public void dropAll() {
        StartedBatch<K, V> batch = take();
        if (batch != null) {
            end(batch.records());
            log.info("closing with {} prefetched record(s) never handed out: END written, not committed; the next "
                    + "owner polls them again", batch.records().size());
        }
    }

    /** Writes END markers for records never handed out, and waits for them; a failure is counted and logged. */
    private void end(List<ConsumerRecord<K, V>> records) {
        List<MarkerSender.Write> writes = new ArrayList<>();
        if (ranges) {
            for (MarkerRun run : MarkerRun.of(records)) {
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
}
