package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a resuming subscription from its token's position up to the live feed, paced by the connection's outbound
 * buffer (a slow client slows its own resume down; nothing is dropped or conflated):
 * <ol>
 *   <li>while some partition's position is older than the feed's history, read those partitions from Kafka with a
 *       consumer of its own; a position older than the log start gets a {@code gap} notice and continues there;</li>
 *   <li>once the history holds every partition from its position, replay it in steps, and with the last step
 *       register the subscription for live records (under the feed's lock: no gap, no duplicate).</li>
 * </ol>
 */
final class ResumeTask implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ResumeTask.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final long ROOM_WAIT_MILLIS = 100;

    private final TopicFeed feed;
    private final FanoutSubscription subscription;
    private final long[] cursor;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    /** Partitions whose log start was compared with the cursor since they were last read from Kafka. */
    private final Set<Integer> checkedForGap = new HashSet<>();
    /** Where the consumer stands per assigned partition, to seek only when the cursor moved elsewhere. */
    private final Map<Integer, Long> consumerPositions = new HashMap<>();
    private final GatewayStats stats;
    private Consumer<byte[], byte[]> consumer;

    /**
     * @param cursor    the next offset per partition to deliver, as many as the feed has partitions; owned by the task
     * @param consumers makes a consumer without group, {@code auto.offset.reset=none}; closed by the task
     */
    ResumeTask(TopicFeed feed, FanoutSubscription subscription, long[] cursor,
               Supplier<Consumer<byte[], byte[]>> consumers, GatewayStats stats) {
        this.feed = Objects.requireNonNull(feed, "feed");
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        this.cursor = cursor;
        this.consumers = Objects.requireNonNull(consumers, "consumers");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** Tries to finish from the history within the buffer's room, on the calling thread; true if it did. */
    boolean tryFromHistory() {
        ResumeStep step = feed.resumeStep(subscription, cursor, subscription.outbound().room());
        return step.kind() == ResumeStep.Kind.LIVE || step.kind() == ResumeStep.Kind.CANCELLED;
    }

    @Override
    public void run() {
        try {
            while (!subscription.isCancelled() && !feed.isStopped()) {
                if (!subscription.outbound().awaitRoom(ROOM_WAIT_MILLIS)) {
                    if (subscription.outbound().isClosed()) {
                        return;
                    }
                    continue;
                }
                ResumeStep step = feed.resumeStep(subscription, cursor, subscription.outbound().room());
                switch (step.kind()) {
                    case LIVE -> {
                        (consumer == null ? stats.resumesFromHistory : stats.resumesFromKafka).increment();
                        return;
                    }
                    case CANCELLED -> {
                        return;
                    }
                    case PROGRESS -> {
                        // more of the history to replay once the client has read some
                    }
                    case UNCOVERED -> readKafka(step.uncovered());
                    default -> throw new IllegalStateException("unexpected step " + step);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("resuming {} failed", subscription, e);
            subscription.fail(new ProtocolException(ErrorCode.INTERNAL, "resume of " + subscription.endpoint()
                    + " failed: " + e));
        } finally {
            if (consumer != null) {
                try {
                    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
                } catch (RuntimeException e) {
                    log.warn("closing the resume consumer of {} failed", subscription, e);
                }
            }
        }
    }

    private void readKafka(List<Integer> uncovered) {
        if (consumer == null) {
            consumer = consumers.get();
        }
        List<TopicPartition> partitions = new ArrayList<>(uncovered.size());
        for (int p : uncovered) {
            partitions.add(new TopicPartition(feed.topic(), p));
        }
        if (!consumer.assignment().equals(new HashSet<>(partitions))) {
            consumer.assign(partitions);
            consumerPositions.keySet().retainAll(uncovered);
        }
        checkLogStart(partitions);
        for (TopicPartition partition : partitions) {
            int p = partition.partition();
            Long at = consumerPositions.get(p);
            if (at == null || at != cursor[p]) {
                consumer.seek(partition, cursor[p]);
                consumerPositions.put(p, cursor[p]);
            }
        }
        try {
            for (ConsumerRecord<byte[], byte[]> consumed : consumer.poll(POLL_TIMEOUT)) {
                int p = consumed.partition();
                if (consumed.offset() < cursor[p]) {
                    continue;
                }
                FeedRecord record = FeedRecord.of(consumed);
                if (subscription.endpoint().matches(record.key())) {
                    subscription.outbound().offer(subscription.recordItem(record, false));
                }
                cursor[p] = consumed.offset() + 1;
            }
        } catch (OffsetOutOfRangeException e) {
            for (TopicPartition partition : e.partitions()) {
                checkedForGap.remove(partition.partition()); // retention moved on meanwhile: compare again
                consumerPositions.remove(partition.partition());
            }
            return;
        }
        for (TopicPartition partition : partitions) {
            int p = partition.partition();
            long position = consumer.position(partition);
            cursor[p] = Math.max(cursor[p], position);
            consumerPositions.put(p, position);
        }
    }

    /** Compares the cursor with the log start of partitions not checked yet; what retention deleted becomes a gap. */
    private void checkLogStart(List<TopicPartition> partitions) {
        List<TopicPartition> unchecked = partitions.stream()
                .filter(partition -> !checkedForGap.contains(partition.partition()))
                .toList();
        if (unchecked.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> logStart = consumer.beginningOffsets(unchecked, METADATA_TIMEOUT);
        for (TopicPartition partition : unchecked) {
            int p = partition.partition();
            long start = logStart.get(partition);
            if (cursor[p] < start) {
                long missed = start - cursor[p];
                log.info("resume of {} partition {}: {} offset(s) before {} were deleted by retention",
                        subscription, p, missed, start);
                subscription.outbound().offer(subscription.gapItem(p, start, missed,
                        FanoutSubscription.GAP_RETENTION));
                cursor[p] = start;
            }
            checkedForGap.add(p);
        }
    }
}
