package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One connection's fan-out subscription to {@code /t/k} or {@code /t/*}. Its items are rendered on the connection's
 * event loop in buffer order; rendering keeps the subscription's position (next offset per partition), so the token of
 * each message is exactly the position after what the client received, and a record behind the position (a duplicate
 * from an overlapping resume, or from a feed that lags the client's token) is skipped.
 */
final class FanoutSubscription {

    /** The reason of a gap caused by Kafka's retention. */
    static final String GAP_RETENTION = "RETENTION";

    private final Endpoint endpoint;
    private final String text;
    private final String requestId;
    private final int topicChecksum;
    private final Outbound outbound;
    private final Consumer<FanoutSubscription> onFailure;
    private volatile boolean cancelled;
    private volatile TopicFeed feed;
    private final AtomicBoolean released = new AtomicBoolean();
    /** The next offset to deliver per partition; event loop only, null until the start item is rendered. */
    private long[] positions;
    /** A generous estimate of the token's length, for buffer accounting; written before the start item is offered. */
    private volatile int tokenLength = 16;

    /**
     * @param onFailure called (from any thread) when the subscription fails and ends, after its error was offered
     */
    FanoutSubscription(Endpoint endpoint, String requestId, Outbound outbound, Consumer<FanoutSubscription> onFailure) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.text = endpoint.toString();
        this.requestId = requestId;
        this.topicChecksum = ResumeToken.checksum(endpoint.topic());
        this.outbound = Objects.requireNonNull(outbound, "outbound");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    Endpoint endpoint() {
        return endpoint;
    }

    Outbound outbound() {
        return outbound;
    }

    /**
     * Notes the feed the subscription was {@linkplain TopicFeed#acquire() acquired} on, before it registers there; if
     * the subscription ended meanwhile, the feed is released at once.
     */
    void attach(TopicFeed acquired) {
        this.feed = acquired;
        if (cancelled) {
            releaseFeed();
        }
    }

    /** Whether the subscription ended (unsubscribed, failed or its connection closed). */
    boolean isCancelled() {
        return cancelled;
    }

    /** Ends the subscription: nothing more is rendered for it, and its feed (if any) lets it go. Idempotent. */
    void cancel() {
        cancelled = true; // before reading the feed: attach() writes the feed, then reads this
        releaseFeed();
    }

    private void releaseFeed() {
        TopicFeed current = feed;
        if (current != null && released.compareAndSet(false, true)) {
            current.release(this);
        }
    }

    /** Ends the subscription with an error frame answering the subscribe request. */
    void fail(ProtocolException error) {
        cancel();
        outbound.offer(error.withRequestId(requestId).toMessage());
        onFailure.accept(this);
    }

    /** The {@code subscribed} answer; rendering it sets the starting position. */
    OutboundItem startItem(long[] start) {
        long[] copy = start.clone();
        tokenLength = 12 + copy.length * 13; // base64 of up to 9.x bytes a varint
        return new OutboundItem() {
            @Override
            public long bytes() {
                return 96L + text.length() + tokenLength;
            }

            @Override
            public ServerMessage render() {
                if (cancelled) {
                    return null;
                }
                positions = copy;
                return new ServerMessage.Subscribed(requestId, text, null, token());
            }
        };
    }

    /** Offers a live record, subject to the slow-consumer policy (conflated per endpoint); returns its size. */
    long offerLive(FeedRecord record) {
        OutboundItem item = recordItem(record, false);
        outbound.offerLive(item, new ConflationKey(this, record.endpoint()));
        return item.bytes();
    }

    /** Offers a last value, subject to the slow-consumer policy like live records. */
    void offerLastValue(FeedRecord record) {
        outbound.offerLive(lastValueItem(record), new ConflationKey(this, record.endpoint()));
    }

    /** A record delivered in order: advances the position, or renders nothing if the record is behind it. */
    OutboundItem recordItem(FeedRecord record, boolean conflated) {
        return new RecordItem(record, true, conflated);
    }

    /** A last value sent on subscribe ({@code from: "last"}): it is older than the start, so the position stays. */
    OutboundItem lastValueItem(FeedRecord record) {
        return new RecordItem(record, false, false);
    }

    /** A gap notice: records of {@code partition} before {@code resumedAt} are gone ({@code missed} offsets). */
    OutboundItem gapItem(int partition, long resumedAt, long missed, String reason) {
        return new OutboundItem() {
            @Override
            public long bytes() {
                return 96L + text.length() + tokenLength;
            }

            @Override
            public ServerMessage render() {
                if (cancelled || positions == null) {
                    return null;
                }
                if (partition >= positions.length) {
                    positions = Arrays.copyOf(positions, partition + 1);
                }
                positions[partition] = Math.max(positions[partition], resumedAt);
                return new ServerMessage.Gap(text, missed, reason, token());
            }
        };
    }

    private String token() {
        return ResumeToken.encode(topicChecksum, positions);
    }

    /** An error of this subscription that is not an answer (the subscription ends). */
    static ProtocolException unavailable(String message) {
        return new ProtocolException(ErrorCode.UNAVAILABLE, message);
    }

    @Override
    public String toString() {
        return "FanoutSubscription{" + text + "}";
    }

    /** A record to send; rendering an item that {@code advances} moves the position past the record. */
    private final class RecordItem implements OutboundItem {
        private final FeedRecord record;
        private final boolean advances;
        private final boolean conflated;

        RecordItem(FeedRecord record, boolean advances, boolean conflated) {
            this.record = record;
            this.advances = advances;
            this.conflated = conflated;
        }

        @Override
        public long bytes() {
            return record.frameBytes(text.length(), tokenLength);
        }

        @Override
        public ServerMessage render() {
            if (cancelled || positions == null) {
                return null;
            }
            if (advances) {
                int partition = record.partition();
                if (partition >= positions.length) {
                    positions = Arrays.copyOf(positions, partition + 1);
                }
                if (record.offset() < positions[partition]) {
                    return null;
                }
                positions[partition] = record.offset() + 1;
            }
            return new ServerMessage.Message(text, record.endpoint(), record.payload(), record.timestamp(), token(),
                    conflated);
        }

        @Override
        public OutboundItem conflated() {
            return conflated ? this : new RecordItem(record, advances, true);
        }
    }

    /** Identifies the items conflation may merge: same subscription, same endpoint. */
    private record ConflationKey(FanoutSubscription subscription, String endpoint) {
    }
}
