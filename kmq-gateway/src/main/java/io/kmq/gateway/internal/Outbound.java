package io.kmq.gateway.internal;

import io.kmq.gateway.GatewayProtocol;
import io.kmq.gateway.SlowConsumerPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound buffer of one connection: items offered from any thread (feed, resume, queue and Kafka callback
 * threads) and written on the connection's event loop, within a byte cap.
 *
 * <p>Accounting: the buffer's size is what is queued here plus what Netty holds unwritten for the socket (the channel's
 * write-buffer high water mark is half the cap, so the event loop stops writing when the socket layer holds that much;
 * feeds dispatch at most a quarter of the cap between waits for {@link #awaitWritten}, so a client that reads in time
 * stays below the cap however large a burst is).
 * <ul>
 *   <li>Live fan-out records ({@link #offerLive}) are queued while the size stays within the cap. Beyond it, policy
 *       {@code DISCONNECT} closes the connection with {@link GatewayProtocol#CLOSE_SLOW_CONSUMER}; policy
 *       {@code CONFLATE} keeps only the latest item per endpoint until the queue drains (at most another cap's
 *       worth, beyond which the connection is closed too). A replaced item moves to the end, so the items of one
 *       partition stay in offset order (which the subscription's position relies on).</li>
 *   <li>Other items ({@link #offer}) are always queued: answers, resume replays and queue deliveries, whose producers
 *       check {@link #room()} first. A client that does not read at all is closed when the size passes twice the
 *       cap.</li>
 * </ul>
 * So one connection holds at most about twice the cap plus one frame, whatever its client does.
 */
final class Outbound {

    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    /** How long a close frame may wait behind unread data before the connection is dropped without it. */
    static final long CLOSE_GRACE_MILLIS = 5_000;
    /** Writes between flushes while draining a backlog. */
    private static final int FLUSH_EVERY = 32;

    private final Channel channel;
    private final long cap;
    private final SlowConsumerPolicy policy;
    private final GatewayStats stats;
    private final Object lock = new Object();
    private final List<Runnable> roomListeners = new CopyOnWriteArrayList<>();
    // guarded by lock:
    private final ArrayDeque<OutboundItem> queue = new ArrayDeque<>();
    private final LinkedHashMap<Object, OutboundItem> conflatedItems = new LinkedHashMap<>();
    private long queuedBytes;
    private long conflatedBytes;
    private boolean drainScheduled;
    private boolean closed;
    private long highWater;
    /** When the socket layer stopped taking frames while some waited ({@link System#nanoTime()}); 0 if it takes them. */
    private long stalledSince;
    /** Whether a feed stopped waiting for this client (see {@link #awaitWritten}); cleared when its queue empties. */
    private boolean laggard;

    Outbound(Channel channel, long cap, SlowConsumerPolicy policy, GatewayStats stats) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.cap = cap;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /**
     * Offers a live fan-out item, subject to the cap and the slow-consumer policy.
     *
     * @param conflationKey identifies the item's subscription and endpoint: a later item with the same key replaces
     *                      this one while the connection is conflating
     */
    void offerLive(OutboundItem item, Object conflationKey) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            long pending = channelPending();
            if (conflatedItems.isEmpty() && queuedBytes + pending + item.bytes() <= cap) {
                enqueueLocked(item);
            } else if (policy == SlowConsumerPolicy.DISCONNECT) {
                overflowLocked(pending, "slow consumer: outbound buffer of " + cap + " bytes full");
                return;
            } else {
                // a replaced value moves to the end: per partition, the map stays in offset order
                OutboundItem previous = conflatedItems.remove(conflationKey);
                if (previous != null) {
                    conflatedItems.put(conflationKey, item.conflated());
                    conflatedBytes += item.bytes() - previous.bytes();
                    stats.conflated.increment();
                } else {
                    conflatedItems.put(conflationKey, item);
                    conflatedBytes += item.bytes();
                }
                if (conflatedBytes > cap) {
                    overflowLocked(pending, "slow consumer: latest values of " + conflatedItems.size()
                            + " endpoints exceed " + cap + " bytes");
                    return;
                }
            }
            noteSizeLocked(pending);
            scheduleDrainLocked();
        }
    }

    /** Offers an item that must not be dropped; the connection is closed if the buffer passes twice the cap. */
    void offer(OutboundItem item) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            long pending = channelPending();
            if (queuedBytes + conflatedBytes + pending + item.bytes() > 2 * cap) {
                overflowLocked(pending, "slow consumer: outbound buffer passed " + 2 * cap + " bytes");
                return;
            }
            enqueueLocked(item);
            noteSizeLocked(pending);
            scheduleDrainLocked();
        }
    }

    /** Offers a ready frame; see {@link #offer(OutboundItem)}. */
    void offer(ServerMessage message) {
        offer(OutboundItem.of(message, estimate(message)));
    }

    /** The bytes that can still be offered within the cap; zero or negative when the buffer is full. */
    long room() {
        synchronized (lock) {
            return closed ? 0 : cap - queuedBytes - conflatedBytes - channelPending();
        }
    }

    /** Waits up to {@code timeoutMillis} for room; returns whether there is some. */
    boolean awaitRoom(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lock) {
            while (!closed && cap - queuedBytes - conflatedBytes - channelPending() <= 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.min(left, 20)); // the socket layer drains without notifying: look again soon
            }
            return !closed;
        }
    }

    /**
     * Waits until everything queued was handed to the socket layer, or the buffer closed, or the client counts as a
     * laggard: its socket has taken nothing for {@code graceNanos} while frames waited. A laggard is not waited for
     * again until it has caught up (its queue emptied); meanwhile its buffer fills and the cap decides. Feeds pace
     * themselves with this, so a burst never outruns the event loop of a client that reads in time, and a slow client
     * holds up the others at most once per backlog, for the grace period.
     *
     * @param deadlineNanos give up at this {@link System#nanoTime()}
     * @return whether the condition was met before the deadline
     */
    boolean awaitWritten(long deadlineNanos, long graceNanos) throws InterruptedException {
        synchronized (lock) {
            while (!closed && !laggard && (!queue.isEmpty() || !conflatedItems.isEmpty())) {
                long now = System.nanoTime();
                if (!channel.isWritable()) {
                    if (stalledSince == 0) {
                        stalledSince = now;
                    } else if (now - stalledSince >= graceNanos) {
                        laggard = true;
                        return true;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - now);
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.min(left, 10));
            }
            return true;
        }
    }

    /** Registers a task run on the event loop whenever a drain leaves room (queue groups waiting to deliver). */
    void addRoomListener(Runnable listener) {
        roomListeners.add(listener);
    }

    /** Removes a listener added by {@link #addRoomListener}. */
    void removeRoomListener(Runnable listener) {
        roomListeners.remove(listener);
    }

    /** Whether the buffer no longer accepts items (closed by overflow or with the connection). */
    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** The largest size this buffer reached, in bytes. */
    long highWater() {
        synchronized (lock) {
            return highWater;
        }
    }

    /** Stops accepting items and drops what is queued (the connection is closing). */
    void close() {
        synchronized (lock) {
            closed = true;
            discardLocked();
            lock.notifyAll();
        }
    }

    /** Writes queued items while the channel is writable; runs on the event loop. */
    void drain() {
        int unflushed = 0;
        boolean emptied = false;
        if (channel.isWritable()) {
            synchronized (lock) {
                stalledSince = 0;
            }
        }
        while (channel.isWritable()) {
            OutboundItem item;
            synchronized (lock) {
                item = pollLocked();
                if (item == null) {
                    drainScheduled = false;
                    emptied = true;
                    laggard = false;
                    break;
                }
            }
            ServerMessage message = item.render();
            if (message != null) {
                count(message);
                channel.write(message, channel.voidPromise());
                if (++unflushed == FLUSH_EVERY) {
                    channel.flush();
                    unflushed = 0;
                }
            }
        }
        if (!emptied) {
            synchronized (lock) {
                drainScheduled = false; // the channel is unwritable: channelWritabilityChanged drains again
            }
        }
        if (unflushed > 0) {
            channel.flush();
        }
        synchronized (lock) {
            lock.notifyAll();
        }
        if (!roomListeners.isEmpty() && room() > 0) {
            roomListeners.forEach(Runnable::run);
        }
    }

    private void enqueueLocked(OutboundItem item) {
        queue.add(item);
        queuedBytes += item.bytes();
    }

    private OutboundItem pollLocked() {
        OutboundItem item = queue.poll();
        if (item != null) {
            queuedBytes -= item.bytes();
            return item;
        }
        Iterator<OutboundItem> conflated = conflatedItems.values().iterator();
        if (conflated.hasNext()) {
            item = conflated.next();
            conflated.remove();
            conflatedBytes -= item.bytes();
        }
        return item;
    }

    private void scheduleDrainLocked() {
        // while unwritable, channelWritabilityChanged drains: no task per offer
        if (!drainScheduled && channel.isWritable()) {
            drainScheduled = true;
            channel.eventLoop().execute(this::drain);
        }
    }

    private void noteSizeLocked(long pending) {
        long size = queuedBytes + conflatedBytes + pending;
        if (size > highWater) {
            highWater = size;
            stats.outboundBytes(size);
        }
    }

    private void overflowLocked(long pending, String reason) {
        noteSizeLocked(pending);
        closed = true;
        discardLocked();
        lock.notifyAll();
        stats.slowConsumerDisconnects.increment();
        channel.eventLoop().execute(() -> closeSlowConsumer(reason));
    }

    private void closeSlowConsumer(String reason) {
        if (!channel.isActive()) {
            return;
        }
        log.info("closing connection {}: {}", channel.remoteAddress(), reason);
        channel.writeAndFlush(new CloseWebSocketFrame(GatewayProtocol.CLOSE_SLOW_CONSUMER, reason))
                .addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void discardLocked() {
        queue.clear();
        conflatedItems.clear();
        queuedBytes = 0;
        conflatedBytes = 0;
    }

    private long channelPending() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    private void count(ServerMessage message) {
        if (message instanceof ServerMessage.Message) {
            stats.messagesSent.increment();
        } else if (message instanceof ServerMessage.Delivery) {
            stats.deliveriesSent.increment();
        } else if (message instanceof ServerMessage.ErrorReply) {
            stats.errorsSent.increment();
        }
    }

    /** A generous size estimate of a control frame. */
    static long estimate(ServerMessage message) {
        if (message instanceof ServerMessage.Delivery d) {
            return 160L + d.endpoint().length() * 2L + d.subscription().length() + d.group().length()
                    + d.payload().size() * 4L / 3;
        }
        if (message instanceof ServerMessage.ErrorReply e) {
            return 96L + e.message().length() + (e.id() == null ? 0 : e.id().length());
        }
        if (message instanceof ServerMessage.Subscribed s) {
            return 96L + s.endpoint().length() + (s.token() == null ? 0 : s.token().length())
                    + (s.id() == null ? 0 : s.id().length());
        }
        return 160;
    }
}
