package io.kmq.gateway.internal;

import io.kmq.KmqClient;
import io.kmq.gateway.ErrorCode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's member of one kmq queue group: a {@link KmqClient} for the group, polled on a thread of its own, whose
 * records are dispatched to the connected members with credit, round robin (credit-based flow control: a member
 * holds at most its prefetch of unacknowledged records, and none while its outbound buffer is full).
 *
 * <ol>
 *   <li>A record is polled only while the members have credit; records beyond it wait here (START markers written,
 *       their message timeout running).</li>
 *   <li>{@code ack} sends the END marker ({@code processed}); {@code nack} a RELEASE marker (the tracker redelivers
 *       after the delay).</li>
 *   <li>When a member leaves or disconnects, the records it held are dispatched to the other members here, each with
 *       an EXTEND marker so the new holder gets a full message timeout.</li>
 *   <li>When the last member leaves, or the gateway stops, every held record gets a RELEASE marker with no delay and
 *       the client closes (leaving the Kafka group to other gateways). If the gateway dies instead, the START markers
 *       without END make the tracker redeliver the records after the message timeout.</li>
 * </ol>
 */
final class QueueGroup {

    private static final Logger log = LoggerFactory.getLogger(QueueGroup.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);
    private static final long IDLE_PARK_NANOS = Duration.ofMillis(50).toNanos();

    private final String topic;
    private final String group;
    private final Supplier<KmqClient<byte[], byte[]>> clients;
    private final Duration messageTimeout;
    private final Consumer<QueueGroup> onFailed;
    private final Consumer<QueueGroup> onFinished;
    private final Thread thread;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Set<QueueMember> registered = ConcurrentHashMap.newKeySet();
    private final Runnable wake = this::wake;
    private volatile boolean running = true;
    private volatile KmqClient<byte[], byte[]> client;
    // group thread only:
    private final List<QueueMember> members = new ArrayList<>();
    private final ArrayDeque<Held> buffer = new ArrayDeque<>();
    private int next;

    /**
     * @param clients    makes the group's KmqClient (on the group's thread)
     * @param onFailed   called if the client cannot be made or fails, before the group's members are failed
     * @param onFinished called when the group's thread ends, its records released and its client closed
     */
    QueueGroup(String topic, String group, Supplier<KmqClient<byte[], byte[]>> clients, Duration messageTimeout,
               String threadName, Consumer<QueueGroup> onFailed, Consumer<QueueGroup> onFinished) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.group = Objects.requireNonNull(group, "group");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.messageTimeout = Objects.requireNonNull(messageTimeout, "messageTimeout");
        this.onFailed = Objects.requireNonNull(onFailed, "onFailed");
        this.onFinished = Objects.requireNonNull(onFinished, "onFinished");
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String topic() {
        return topic;
    }

    String group() {
        return group;
    }

    /** Adds {@code member}; it is answered {@code subscribed} once the group's client is up. */
    void join(QueueMember member) {
        registered.add(member);
        member.attach(this);
        post(() -> {
            if (member.isClosed()) {
                return;
            }
            members.add(member);
            member.outbound().addRoomListener(wake);
            member.confirm();
        });
    }

    /** Removes {@code member} (already closed); the records it held go to the other members. */
    void leave(QueueMember member) {
        registered.remove(member);
        post(() -> {
            members.remove(member);
            member.outbound().removeRoomListener(wake);
            List<ConsumerRecord<byte[], byte[]>> held = member.drainUnacked();
            for (int i = held.size() - 1; i >= 0; i--) {
                buffer.addFirst(new Held(held.get(i), true));
            }
            if (!held.isEmpty()) {
                log.debug("queue {} group {}: {} record(s) of a leaving member go to the others", topic, group,
                        held.size());
            }
        });
    }

    /** How many members joined and did not leave. */
    int memberCount() {
        return registered.size();
    }

    /** Sends the END marker of an acknowledged record. */
    void processed(ConsumerRecord<byte[], byte[]> record) {
        requireClient().processed(record);
        wake();
    }

    /** Sends the RELEASE marker of a negatively acknowledged record: kmq redelivers it after {@code delay}. */
    void release(ConsumerRecord<byte[], byte[]> record, Duration delay) {
        requireClient().release(record, delay);
        wake();
    }

    /** Stops the group: held records are released, the client closes. Returns at once; the thread finishes alone. */
    void stop() {
        running = false;
        wake();
    }

    /** Stops the group and waits for its thread. */
    void stopAndWait(Duration timeout) {
        stop();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void wake() {
        LockSupport.unpark(thread);
    }

    private void post(Runnable command) {
        commands.add(command);
        wake();
    }

    private KmqClient<byte[], byte[]> requireClient() {
        KmqClient<byte[], byte[]> current = client;
        if (current == null) {
            throw new IllegalStateException("queue " + topic + " group " + group + " has no client");
        }
        return current;
    }

    private void run() {
        try {
            consume();
        } finally {
            onFinished.accept(this);
        }
    }

    private void consume() {
        try {
            client = clients.get();
            log.info("queue {} group {}: consuming", topic, group);
        } catch (RuntimeException e) {
            log.warn("queue {} group {}: cannot consume: {}", topic, group, e.toString());
            failAll(e);
            return;
        }
        try {
            while (running) {
                runCommands();
                dispatch();
                int wanted = totalCredit() - buffer.size();
                if (wanted > 0) {
                    for (ConsumerRecord<byte[], byte[]> record : client.nextBatch(POLL_TIMEOUT)) {
                        buffer.add(new Held(record, false));
                    }
                    dispatch();
                } else {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
            }
        } catch (RuntimeException | Error e) {
            log.error("queue {} group {}: consuming failed; its members are told to subscribe again", topic, group, e);
            failAll(e);
        } finally {
            runCommands();
            releaseAll();
        }
    }

    private void runCommands() {
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
        }
    }

    private int totalCredit() {
        long total = 0;
        for (QueueMember member : members) {
            if (member.canTake()) {
                total += member.credit();
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    private void dispatch() {
        while (!buffer.isEmpty()) {
            QueueMember member = nextMember();
            if (member == null) {
                return;
            }
            Held held = buffer.poll();
            if (held.handedOutBefore) {
                try {
                    client.extend(held.record, messageTimeout);
                } catch (RuntimeException e) {
                    log.warn("queue {} group {}: EXTEND of partition {} offset {} failed; kmq may redeliver it",
                            topic, group, held.record.partition(), held.record.offset(), e);
                }
            }
            member.deliver(held.record);
        }
    }

    private QueueMember nextMember() {
        for (int i = 0; i < members.size(); i++) {
            QueueMember member = members.get((next + i) % members.size());
            if (member.canTake()) {
                next = (next + i + 1) % members.size();
                return member;
            }
        }
        return null;
    }

    /** Releases every held record (RELEASE, no delay) and closes the client. */
    private void releaseAll() {
        KmqClient<byte[], byte[]> current = client;
        if (current == null) {
            return;
        }
        List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>();
        buffer.forEach(h -> held.add(h.record));
        buffer.clear();
        for (QueueMember member : members) {
            member.close();
            held.addAll(member.drainUnacked());
        }
        for (ConsumerRecord<byte[], byte[]> record : held) {
            try {
                current.release(record, Duration.ZERO);
            } catch (RuntimeException e) {
                log.warn("queue {} group {}: RELEASE of partition {} offset {} failed; the tracker redelivers it "
                        + "after the timeout", topic, group, record.partition(), record.offset(), e);
            }
        }
        try {
            current.close();
        } catch (RuntimeException e) {
            log.warn("queue {} group {}: closing the KmqClient failed", topic, group, e);
        }
        log.info("queue {} group {}: stopped, {} held record(s) released", topic, group, held.size());
    }

    private void failAll(Throwable cause) {
        running = false;
        onFailed.accept(this); // first: once the service forgot this group, no member can join it any more
        ProtocolException error = new ProtocolException(ErrorCode.QUEUE_UNAVAILABLE, "queue " + topic + " group "
                + group + " cannot be consumed: " + cause.getMessage());
        for (QueueMember member : List.copyOf(registered)) {
            member.fail(error);
        }
    }

    @Override
    public String toString() {
        return "QueueGroup{" + topic + ", " + group + "}";
    }

    /** A record waiting for a member; {@code handedOutBefore} if a member held it and left. */
    private record Held(ConsumerRecord<byte[], byte[]> record, boolean handedOutBefore) {
    }
}
