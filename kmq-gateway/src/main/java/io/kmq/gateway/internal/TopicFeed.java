package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one topic for fan-out, on a thread of its own, with its own consumer assigned every partition (no consumer
 * group: each gateway reads every record itself). It keeps each partition's recent history and each key's last value,
 * and hands every record to the subscriptions of its key and of {@code /t/*}.
 *
 * <p>Starting: the feed reads the last {@code historyRecords} records of each partition into its caches, then becomes
 * {@link #ready()}. Registration, replay and dispatch all happen under this object's lock, so a subscription sees the
 * history it was given and then every live record after it, with no gap and no duplicate.
 *
 * <p>Pacing: the feed dispatches a poll in chunks of {@code pacingBytes} and, between chunks, waits (outside the lock)
 * until the connections it wrote to have handed their frames to their sockets. Clients that read in time therefore
 * never see a burst pile up in their buffers. A client whose socket takes nothing for 200 ms is not waited for any
 * more until it has caught up: it holds up only itself, its buffer reaches the cap and the slow-consumer policy
 * applies.
 */
final class TopicFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicFeed.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** The longest a feed waits for connections to write before it dispatches more (a stuck event loop). */
    private static final Duration PACING_TIMEOUT = Duration.ofSeconds(1);
    /** How long a client's socket may take nothing before the feed stops waiting for it (see Outbound#awaitWritten). */
    private static final long STALL_GRACE_NANOS = Duration.ofMillis(200).toNanos();

    private final String topic;
    private final FeedSettings settings;
    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final Consumer<TopicFeed> onStopped;
    private final Thread thread;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private volatile boolean running = true;

    // guarded by this
    private List<TopicPartition> partitions = List.of();
    private PartitionHistory[] histories = new PartitionHistory[0];
    private long[] next = new long[0];
    private final LastValueCache lastValues;
    private final Map<String, List<FanoutSubscription>> byKey = new HashMap<>();
    private final List<FanoutSubscription> allKeys = new ArrayList<>();
    /** Subscriptions that acquired this feed and did not end; at 0 for the idle timeout, the feed stops. */
    private int users;
    private long idleSince = System.nanoTime();

    /**
     * @param consumer  a consumer without group, {@code auto.offset.reset=none}; owned and closed by the feed
     * @param onStopped called once when the feed's thread ends, for whatever reason
     */
    TopicFeed(String topic, FeedSettings settings, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
              String threadName, Consumer<TopicFeed> onStopped) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.onStopped = Objects.requireNonNull(onStopped, "onStopped");
        this.lastValues = new LastValueCache(settings.lastValueKeys());
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String topic() {
        return topic;
    }

    /** Completes with the partition count once the caches are loaded; fails if the topic cannot be read. */
    CompletableFuture<Integer> ready() {
        return ready;
    }

    /** Whether the feed stopped (closed, or failed). */
    boolean isStopped() {
        return !running;
    }

    /** The partition count; valid once {@link #ready()}. */
    synchronized int partitionCount() {
        return next.length;
    }

    /** Starts a subscription at the feed's position, after the last values if {@code withLastValues}. */
    synchronized void subscribeNew(FanoutSubscription subscription, boolean withLastValues) {
        if (subscription.isCancelled()) {
            return;
        }
        subscription.outbound().offer(subscription.startItem(next));
        if (withLastValues) {
            Endpoint endpoint = subscription.endpoint();
            List<FeedRecord> values = endpoint.kind() == Endpoint.Kind.KEY
                    ? single(lastValues.get(endpoint.key())) : lastValues.all();
            values.forEach(subscription::offerLastValue);
        }
        register(subscription);
    }

    /**
     * One step of resuming {@code subscription} from {@code cursor} (the next offset per partition, advanced by this
     * call): if the history holds every partition from its cursor, replays up to {@code budget} bytes of matching
     * records, and once all are replayed registers the subscription for live records.
     */
    synchronized ResumeStep resumeStep(FanoutSubscription subscription, long[] cursor, long budget) {
        if (subscription.isCancelled() || !running) {
            return ResumeStep.CANCELLED;
        }
        List<Integer> uncovered = new ArrayList<>();
        for (int p = 0; p < histories.length; p++) {
            if (!histories[p].covers(cursor[p])) {
                uncovered.add(p);
            }
        }
        if (!uncovered.isEmpty()) {
            return new ResumeStep(ResumeStep.Kind.UNCOVERED, uncovered);
        }
        long spent = 0;
        for (int p = 0; p < histories.length; p++) {
            PartitionHistory history = histories[p];
            for (int i = history.indexOf(cursor[p]); i < history.size(); i++) {
                FeedRecord record = history.get(i);
                if (subscription.endpoint().matches(record.key())) {
                    OutboundItem item = subscription.recordItem(record, false);
                    if (spent > 0 && spent + item.bytes() > budget) {
                        return ResumeStep.PROGRESS;
                    }
                    subscription.outbound().offer(item);
                    spent += item.bytes();
                }
                cursor[p] = record.offset() + 1;
            }
            cursor[p] = Math.max(cursor[p], next[p]);
        }
        register(subscription);
        return ResumeStep.LIVE;
    }

    /**
     * Counts a new subscription as a user of this feed, so it does not stop as idle.
     *
     * @return false if the feed stopped already: use a new one
     */
    synchronized boolean acquire() {
        if (!running) {
            return false;
        }
        users++;
        return true;
    }

    /** A subscription that {@linkplain #acquire() acquired} this feed ended: no more records for it. */
    synchronized void release(FanoutSubscription subscription) {
        unregister(subscription);
        if (--users == 0) {
            idleSince = System.nanoTime();
        }
    }

    private void unregister(FanoutSubscription subscription) {
        if (subscription.endpoint().kind() == Endpoint.Kind.KEY) {
            List<FanoutSubscription> subscriptions = byKey.get(subscription.endpoint().key());
            if (subscriptions != null && subscriptions.remove(subscription) && subscriptions.isEmpty()) {
                byKey.remove(subscription.endpoint().key());
            }
        } else {
            allKeys.remove(subscription);
        }
    }

    /** Stops the feed and waits for its thread; subscriptions get no more records. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ready.completeExceptionally(new ProtocolException(ErrorCode.UNAVAILABLE, "the gateway is shutting down"));
    }

    private void run() {
        try {
            bootstrap();
            ready.complete(partitionCount());
            log.info("fan-out feed of topic {} ready: {} partition(s)", topic, partitionCount());
            while (running) {
                pollOnce(true);
                stopIfIdle();
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            running = false;
            try {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                log.warn("closing the consumer of the fan-out feed of topic {} failed", topic, e);
            }
            onStopped.accept(this);
        }
    }

    private synchronized void stopIfIdle() {
        if (users == 0 && System.nanoTime() - idleSince >= settings.idleTimeout().toNanos()) {
            log.info("fan-out feed of topic {} stops: no subscription for {}", topic, settings.idleTimeout());
            running = false; // under the lock: acquire() sees it, and the registry starts a new feed
        }
    }

    private void bootstrap() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TOPIC, "topic " + topic + " does not exist");
        }
        List<TopicPartition> assigned = infos.stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
        int count = assigned.get(assigned.size() - 1).partition() + 1;
        consumer.assign(assigned);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(assigned, METADATA_TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, METADATA_TIMEOUT);
        synchronized (this) {
            partitions = assigned;
            histories = new PartitionHistory[count];
            next = new long[count];
            for (int p = 0; p < count; p++) {
                histories[p] = new PartitionHistory(settings.historyRecords(), settings.historyBytes(), 0);
            }
            for (TopicPartition partition : assigned) {
                long start = Math.max(begin.get(partition), end.get(partition) - settings.historyRecords());
                histories[partition.partition()].reset(start);
                next[partition.partition()] = start;
                consumer.seek(partition, start);
            }
        }
        while (running && behind(end)) {
            pollOnce(false); // nobody is subscribed before ready: only the caches fill
        }
    }

    private synchronized boolean behind(Map<TopicPartition, Long> end) {
        for (TopicPartition partition : partitions) {
            if (next[partition.partition()] < end.get(partition)) {
                return true;
            }
        }
        return false;
    }

    private void pollOnce(boolean dispatch) {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (OffsetOutOfRangeException e) {
            skipDeleted(e.partitions());
            return;
        }
        Iterator<ConsumerRecord<byte[], byte[]>> remaining = records.iterator();
        Set<Outbound> touched = Collections.newSetFromMap(new IdentityHashMap<>());
        do {
            long dispatched = 0;
            synchronized (this) {
                while (remaining.hasNext() && dispatched < settings.pacingBytes()) {
                    FeedRecord record = FeedRecord.of(remaining.next());
                    histories[record.partition()].append(record);
                    lastValues.update(record);
                    next[record.partition()] = Math.max(next[record.partition()], record.offset() + 1);
                    if (dispatch) {
                        dispatched += dispatch(record, touched);
                    }
                }
                if (!remaining.hasNext()) {
                    for (TopicPartition partition : partitions) {
                        int p = partition.partition();
                        next[p] = Math.max(next[p], consumer.position(partition)); // also past transaction markers
                    }
                }
            }
            awaitWritten(touched); // outside the lock: subscribes and resumes go on meanwhile
            touched.clear();
        } while (remaining.hasNext() && running);
    }

    /** Paces the feed: waits until the connections just written to handed it to their sockets, or are backed up. */
    private void awaitWritten(Set<Outbound> touched) {
        long deadline = System.nanoTime() + PACING_TIMEOUT.toNanos();
        try {
            for (Outbound outbound : touched) {
                if (!outbound.awaitWritten(deadline, STALL_GRACE_NANOS)) {
                    log.debug("fan-out feed of topic {}: connections did not write within {}", topic, PACING_TIMEOUT);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The feed fell behind retention: it continues at the log start and tells every subscription. */
    private void skipDeleted(Set<TopicPartition> lost) {
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(lost, METADATA_TIMEOUT);
        synchronized (this) {
            for (TopicPartition partition : lost) {
                int p = partition.partition();
                long start = begin.get(partition);
                long missed = Math.max(0, start - next[p]);
                log.warn("fan-out feed of topic {} partition {} fell behind retention: {} offset(s) skipped", topic, p,
                        missed);
                histories[p].reset(start);
                next[p] = start;
                consumer.seek(partition, start);
                forEachSubscription(s -> s.outbound().offer(s.gapItem(p, start, missed,
                        FanoutSubscription.GAP_RETENTION)));
            }
        }
    }

    /** Offers {@code record} to its subscriptions; returns the bytes offered and notes the buffers written to. */
    private long dispatch(FeedRecord record, Set<Outbound> touched) {
        long bytes = 0;
        if (record.key() != null) {
            List<FanoutSubscription> subscriptions = byKey.get(record.key());
            if (subscriptions != null) {
                for (FanoutSubscription subscription : subscriptions) {
                    bytes += subscription.offerLive(record);
                    touched.add(subscription.outbound());
                }
            }
        }
        for (FanoutSubscription subscription : allKeys) {
            bytes += subscription.offerLive(record);
            touched.add(subscription.outbound());
        }
        return bytes;
    }

    private void register(FanoutSubscription subscription) {
        if (subscription.endpoint().kind() == Endpoint.Kind.KEY) {
            byKey.computeIfAbsent(subscription.endpoint().key(), k -> new ArrayList<>(2)).add(subscription);
        } else {
            allKeys.add(subscription);
        }
    }

    private void fail(Throwable cause) {
        running = false;
        if (!ready.isDone()) {
            log.warn("fan-out feed of topic {} could not start: {}", topic, cause.toString());
            ready.completeExceptionally(cause);
            return;
        }
        log.error("fan-out feed of topic {} stopped; its subscriptions end", topic, cause);
        List<FanoutSubscription> ended = new ArrayList<>();
        synchronized (this) {
            forEachSubscription(ended::add);
            byKey.clear();
            allKeys.clear();
        }
        ProtocolException error = FanoutSubscription.unavailable("fan-out of topic " + topic + " stopped ("
                + cause + "); subscribe again to resume");
        ended.forEach(s -> s.fail(error));
    }

    private void forEachSubscription(Consumer<FanoutSubscription> action) {
        byKey.values().forEach(list -> list.forEach(action));
        allKeys.forEach(action);
    }

    private static List<FeedRecord> single(FeedRecord record) {
        return record == null ? List.of() : List.of(record);
    }

    @Override
    public String toString() {
        return "TopicFeed{" + topic + "}";
    }
}
