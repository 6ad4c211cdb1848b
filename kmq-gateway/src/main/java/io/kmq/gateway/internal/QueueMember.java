package io.kmq.gateway.internal;

import io.kmq.KmqHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One connection's membership in a kmq queue group: its credit (prefetch minus unacknowledged deliveries) and the
 * records it holds by delivery tag. Deliveries come from the group's thread, acknowledgments from the connection's
 * event loop; whichever removes a tag first owns its record.
 */
final class QueueMember {

    private final Endpoint endpoint;
    private final String group;
    private final String requestId;
    private final Outbound outbound;
    private final AtomicLong tags;
    private final Consumer<QueueMember> onFailure;
    private final AtomicInteger credit;
    private final Map<Long, ConsumerRecord<byte[], byte[]>> unacked = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile QueueGroup queueGroup;

    /**
     * @param tags      the connection's delivery-tag sequence (tags are unique per connection)
     * @param onFailure called when the membership fails and ends, after its error was offered
     */
    QueueMember(Endpoint endpoint, String group, int prefetch, String requestId, Outbound outbound, AtomicLong tags,
                Consumer<QueueMember> onFailure) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.group = Objects.requireNonNull(group, "group");
        this.requestId = requestId;
        this.outbound = Objects.requireNonNull(outbound, "outbound");
        this.tags = Objects.requireNonNull(tags, "tags");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.credit = new AtomicInteger(prefetch);
    }

    Endpoint endpoint() {
        return endpoint;
    }

    String group() {
        return group;
    }

    Outbound outbound() {
        return outbound;
    }

    QueueGroup queueGroup() {
        return queueGroup;
    }

    void attach(QueueGroup joined) {
        this.queueGroup = joined;
    }

    /** Whether a delivery may go to this member now: it is open, has credit and its buffer has room. */
    boolean canTake() {
        return !closed && credit.get() > 0 && outbound.room() > 0;
    }

    /** The credit left, zero if closed. */
    int credit() {
        return closed ? 0 : Math.max(0, credit.get());
    }

    boolean isClosed() {
        return closed;
    }

    /** Ends the membership: no more deliveries; what it holds is collected by {@link #drainUnacked()}. */
    void close() {
        closed = true;
    }

    /** The {@code subscribed} answer. */
    void confirm() {
        outbound.offer(new ServerMessage.Subscribed(requestId, endpoint.toString(), group, null));
    }

    /** Ends the membership with an error answering the subscribe request. */
    void fail(ProtocolException error) {
        closed = true;
        outbound.offer(error.withRequestId(requestId).toMessage());
        onFailure.accept(this);
    }

    /** Hands {@code record} to the client under a new tag, taking one credit; on the group's thread. */
    void deliver(ConsumerRecord<byte[], byte[]> record) {
        long tag = tags.incrementAndGet();
        unacked.put(tag, record);
        credit.decrementAndGet();
        FeedRecord feedRecord = FeedRecord.of(record);
        outbound.offer(new ServerMessage.Delivery(endpoint.toString(), group, tag, feedRecord.endpoint(),
                feedRecord.payload(), record.timestamp(), KmqHeaders.redeliveryCount(record.headers())));
    }

    /** Takes back the record of {@code tag} (acknowledged by the client), returning its credit; null if not held. */
    ConsumerRecord<byte[], byte[]> take(long tag) {
        ConsumerRecord<byte[], byte[]> record = unacked.remove(tag);
        if (record != null) {
            credit.incrementAndGet();
        }
        return record;
    }

    /** Takes every record still held, for release to other members (the member is closed). */
    List<ConsumerRecord<byte[], byte[]>> drainUnacked() {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Long tag : List.copyOf(unacked.keySet())) {
            ConsumerRecord<byte[], byte[]> record = unacked.remove(tag);
            if (record != null) {
                records.add(record);
            }
        }
        records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                : Long.compare(a.offset(), b.offset()));
        return records;
    }

    @Override
    public String toString() {
        return "QueueMember{" + endpoint + ", group=" + group + "}";
    }
}
