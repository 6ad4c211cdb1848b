package io.kmq.redelivery.internal;

import io.kmq.KmqConfig;
import io.kmq.Marker;
import io.kmq.MarkerKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on due messages: reads each one back by offset, then in one go (one transaction) writes the redelivery or
 * dead letter, writes an END marker for the old delivery and forgets the entry. A message the log no longer holds
 * gets a content-less dead letter; one that cannot be read yet stays due and is tried at the next punctuation.
 */
public final class Redeliverer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Redeliverer.class);
    private static final Marker.End END = new Marker.End();
    private static final byte[] NO_CONTENT = new byte[0];

    private final KmqConfig config;
    private final InflightStore store;
    private final TrackerOutputs outputs;
    private final TopicStats stats;
    private final RecordReader.Factory readers;
    private final String clientId;
    private RecordReader reader;

    /**
     * @param readers  creates the reader lazily, at the first due message
     * @param clientId the client id of that reader
     */
    public Redeliverer(KmqConfig config, InflightStore store, TrackerOutputs outputs, TopicStats stats,
                       RecordReader.Factory readers, String clientId) {
        this.config = config;
        this.store = store;
        this.outputs = outputs;
        this.stats = stats;
        this.readers = readers;
        this.clientId = clientId;
    }

    /**
     * Redelivers or dead-letters the due messages that can be read.
     *
     * @param now the wall-clock time, the timestamp of the records written
     * @return how many messages were handled
     */
    public int act(List<InflightStore.Due> due, long now) {
        Map<Integer, List<InflightStore.Due>> byPartition = new TreeMap<>();
        due.forEach(d -> byPartition.computeIfAbsent(d.key().partition(), p -> new ArrayList<>()).add(d));
        int handled = 0;
        for (Map.Entry<Integer, List<InflightStore.Due>> partition : byPartition.entrySet()) {
            handled += act(new TopicPartition(config.topic(), partition.getKey()), partition.getValue(), now);
        }
        return handled;
    }

    private int act(TopicPartition partition, List<InflightStore.Due> due, long now) {
        SortedSet<Long> offsets = new TreeSet<>();
        due.forEach(d -> offsets.add(d.key().offset()));
        RecordReader.Result read = reader().read(partition, offsets);
        List<InflightStore.Due> handled = new ArrayList<>();
        for (InflightStore.Due d : due) {
            ConsumerRecord<byte[], byte[]> record = read.found().get(d.key().offset());
            if (record != null) {
                redeliverOrDeadLetter(record, d.entry(), now);
            } else if (read.missing().contains(d.key().offset())) {
                deadLetterMissing(d.key(), d.entry(), now);
            } else {
                continue;
            }
            handled.add(d);
        }
        writeEnds(handled, now);
        store.forget(handled);
        if (handled.size() < due.size()) {
            log.debug("{} of {} due message(s) of {} could not be read yet; retrying at the next punctuation",
                    due.size() - handled.size(), due.size(), partition);
        }
        return handled.size();
    }

    /**
     * Ends the old deliveries: an END per single entry, and per run of consecutive handled offsets of one range an
     * END_RANGE (an END for a run of one), so ranges stay cheap on the way out too.
     */
    private void writeEnds(List<InflightStore.Due> handled, long now) {
        Map<MarkerKey, SortedSet<Long>> byRange = new TreeMap<>();
        for (InflightStore.Due d : handled) {
            if (d.range() == null) {
                outputs.marker(d.key(), END, now);
            } else {
                byRange.computeIfAbsent(d.range(), r -> new TreeSet<>()).add(d.key().offset());
            }
        }
        byRange.forEach((range, offsets) -> {
            long runStart = -1;
            long previous = -2;
            for (long offset : offsets) {
                if (offset != previous + 1) {
                    endRun(range.partition(), runStart, previous, now);
                    runStart = offset;
                }
                previous = offset;
            }
            endRun(range.partition(), runStart, previous, now);
        });
    }

    private void endRun(int partition, long first, long last, long now) {
        if (first < 0) {
            return;
        }
        MarkerKey key = new MarkerKey(partition, first);
        outputs.marker(key, first == last ? END : new Marker.EndRange((int) (last - first + 1)), now);
    }

    private void redeliverOrDeadLetter(ConsumerRecord<byte[], byte[]> record, InflightEntry entry, long now) {
        Optional<String> reason = RedeliveryRecords.deadLetterReason(entry, record.headers(),
                config.maxRedeliveries());
        if (reason.isPresent()) {
            Headers headers = RedeliveryRecords.deadLetter(record, entry, reason.get());
            outputs.deadLetter(record.partition(), record.key(), record.value(), headers, now);
            stats.deadLettered();
            log.debug("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    reason.get());
        } else {
            Headers headers = RedeliveryRecords.redelivery(record, entry);
            outputs.redeliver(record.partition(), record.key(), record.value(), headers, now);
            stats.redelivered();
            log.debug("Redelivering {}-{}@{} ({})", record.topic(), record.partition(), record.offset(),
                    entry.action());
        }
    }

    private void deadLetterMissing(MarkerKey key, InflightEntry entry, long now) {
        log.warn("Message {}-{}@{} is due ({}) but no longer in the log; writing a content-less dead letter",
                config.topic(), key.partition(), key.offset(), entry.action());
        outputs.deadLetter(key.partition(), null, NO_CONTENT,
                RedeliveryRecords.deletedDeadLetter(config.topic(), key, entry), now);
        stats.deadLettered();
    }

    private RecordReader reader() {
        if (reader == null) {
            reader = readers.create(clientId);
        }
        return reader;
    }

    /** Closes the reader, if one was created. */
    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
