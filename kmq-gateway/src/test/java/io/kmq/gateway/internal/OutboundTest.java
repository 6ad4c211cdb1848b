package io.kmq.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.gateway.GatewayProtocol;
import io.kmq.gateway.SlowConsumerPolicy;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbound buffer with an in-memory channel; "unwritable" stands for a client that stopped reading. */
class OutboundTest {

    private static final int CAP = 8 * 1024;

    private final EmbeddedChannel channel = new EmbeddedChannel(FrameCodec.INSTANCE);
    private final GatewayStats stats = new GatewayStats();

    @Test
    void writesItemsInOrderOnTheEventLoop() {
        Outbound outbound = new Outbound(channel, CAP, SlowConsumerPolicy.DISCONNECT, stats);
        FanoutSubscription subscription = started(outbound, "/t/*");
        for (int i = 0; i < 3; i++) {
            subscription.offerLive(record(0, i, "k" + i, "v" + i));
        }
        channel.runPendingTasks();
        List<String> frames = texts();
        assertEquals(4, frames.size());
        assertTrue(frames.get(0).startsWith("{\"op\":\"subscribed\""), frames.get(0));
        assertTrue(frames.get(3).contains("\"payload\":\"v2\""), frames.get(3));
        assertEquals(3, stats.snapshot(0, 0).messagesSent());
    }

    @Test
    void skipsRecordsBehindThePositionAndTokensFollowWhatWasWritten() {
        Outbound outbound = new Outbound(channel, CAP, SlowConsumerPolicy.DISCONNECT, stats);
        FanoutSubscription subscription = new FanoutSubscription(Endpoint.parse("/t/k"), null, outbound, s -> { });
        outbound.offer(subscription.startItem(new long[]{5, 0}));
        subscription.offerLive(record(0, 4, "k", "old"));
        subscription.offerLive(record(0, 5, "k", "a"));
        subscription.offerLive(record(1, 0, "k", "b"));
        channel.runPendingTasks();
        List<String> frames = texts();
        assertEquals(3, frames.size(), frames::toString);
        assertTrue(frames.get(1).contains("\"payload\":\"a\"") && frames.get(1).contains("\"token\":\""
                + ResumeToken.of("t", new long[]{6, 0}).encode() + "\""), frames.get(1));
        assertTrue(frames.get(2).contains("\"token\":\"" + ResumeToken.of("t", new long[]{6, 1}).encode() + "\""),
                frames.get(2));
    }

    @Test
    void disconnectPolicyClosesWithSlowConsumerCodeAtTheCap() {
        Outbound outbound = new Outbound(channel, CAP, SlowConsumerPolicy.DISCONNECT, stats);
        FanoutSubscription subscription = started(outbound, "/t/*");
        channel.runPendingTasks();
        texts();
        stopReading();
        String value = "x".repeat(1000);
        int offered = 0;
        while (!outbound.isClosed()) {
            subscription.offerLive(record(0, offered, "k", value));
            offered++;
        }
        assertTrue(offered > 5 && offered < 12, "closed after " + offered + " records of ~1.1 KiB");
        channel.runPendingTasks();
        CloseWebSocketFrame close = assertInstanceOf(CloseWebSocketFrame.class, channel.readOutbound());
        assertEquals(GatewayProtocol.CLOSE_SLOW_CONSUMER, close.statusCode());
        close.release();
        assertFalse(channel.isOpen());
        assertEquals(1, stats.snapshot(0, 0).slowConsumerDisconnects());
        assertTrue(outbound.highWater() <= CAP, "high water " + outbound.highWater());
    }

    @Test
    void conflatePolicyKeepsTheLatestValuePerEndpointUntilTheClientCatchesUp() {
        Outbound outbound = new Outbound(channel, CAP, SlowConsumerPolicy.CONFLATE, stats);
        FanoutSubscription subscription = started(outbound, "/t/*");
        channel.runPendingTasks();
        texts();
        stopReading();
        String value = "x".repeat(1000);
        for (int i = 0; i < 100; i++) {
            subscription.offerLive(record(0, i, "k" + (i % 3), value + i));
        }
        assertFalse(outbound.isClosed());
        assertTrue(outbound.highWater() <= 2L * CAP, "high water " + outbound.highWater());
        resumeReading(outbound);
        List<String> frames = texts();
        assertTrue(frames.size() < 15, frames.size() + " frames");
        List<String> lastThree = frames.subList(frames.size() - 3, frames.size());
        assertTrue(lastThree.get(0).contains(value + "97\"") && lastThree.get(0).contains("\"conflated\":true"),
                lastThree.get(0));
        assertTrue(lastThree.get(1).contains(value + "98\""), lastThree.get(1));
        assertTrue(lastThree.get(2).contains(value + "99\""), lastThree.get(2));
        assertEquals(100 - frames.size(), stats.snapshot(0, 0).conflatedMessages());
    }

    @Test
    void conflationThatExceedsTheCapDisconnects() {
        Outbound outbound = new Outbound(channel, CAP, SlowConsumerPolicy.CONFLATE, stats);
        FanoutSubscription subscription = started(outbound, "/t/*");
        channel.runPendingTasks();
        texts();
        stopReading();
        for (int i = 0; i < 100 && !outbound.isClosed(); i++) {
            subscription.offerLive(record(0, i, "distinct-" + i, "x".repeat(1000)));
        }
        assertTrue(outbound.isClosed());
        assertTrue(outbound.highWater() <= 2L * CAP + 2000, "high water " + outbound.highWater());
    }

    @Test
    void answersAreNeverDroppedButAClientThatNeverReadsIsClosedAtTwiceTheCap() {
        Outbound outbound = new Outbound(channel, CAP, SlowConsumerPolicy.CONFLATE, stats);
        stopReading();
        ServerMessage.ErrorReply error = new ServerMessage.ErrorReply(null, io.kmq.gateway.ErrorCode.BAD_JSON,
                "x".repeat(900));
        int offered = 0;
        while (!outbound.isClosed()) {
            outbound.offer(error);
            offered++;
        }
        assertTrue(offered >= 15, "closed after " + offered);
        assertEquals(1, stats.snapshot(0, 0).slowConsumerDisconnects());
    }

    @Test
    void roomShrinksWithQueuedItems() {
        Outbound outbound = new Outbound(channel, CAP, SlowConsumerPolicy.DISCONNECT, stats);
        stopReading();
        assertEquals(CAP, outbound.room());
        outbound.offer(OutboundItem.of(new ServerMessage.Welcome(1, "gw", 1), 1000));
        assertEquals(CAP - 1000, outbound.room());
        resumeReading(outbound);
        assertEquals(CAP, outbound.room());
        outbound.close();
        assertEquals(0, outbound.room());
    }

    private static FanoutSubscription started(Outbound outbound, String endpoint) {
        FanoutSubscription subscription = new FanoutSubscription(Endpoint.parse(endpoint), "s", outbound, s -> { });
        outbound.offer(subscription.startItem(new long[]{0}));
        return subscription;
    }

    private static FeedRecord record(int partition, long offset, String key, String value) {
        return new FeedRecord(partition, offset, 1000 + offset, key, "/t/" + key, Payload.ofText(value));
    }

    private void stopReading() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertFalse(channel.isWritable());
    }

    private void resumeReading(Outbound outbound) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        outbound.drain(); // what SessionHandler does on channelWritabilityChanged
        channel.runPendingTasks();
    }

    private List<String> texts() {
        List<String> texts = new ArrayList<>();
        Object frame;
        while ((frame = channel.readOutbound()) != null) {
            TextWebSocketFrame text = assertInstanceOf(TextWebSocketFrame.class, frame);
            texts.add(text.text());
            text.release();
        }
        assertNull(channel.readOutbound());
        return texts;
    }
}
