package io.kmq.gateway.internal;

import io.kmq.KmqClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The queue groups of a gateway, one per (topic, group) with members on this gateway: started by the first member,
 * stopped when the last one leaves, so the gateway holds Kafka partitions of a group only while it can deliver them.
 */
final class QueueService implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final BiFunction<String, String, KmqClient<byte[], byte[]>> clients;
    private final Duration messageTimeout;
    private final String threadPrefix;
    private final Map<Key, QueueGroup> groups = new HashMap<>();
    /** Every group whose thread has not finished, including those stopping after their last member left. */
    private final Set<QueueGroup> running = ConcurrentHashMap.newKeySet();
    private boolean closed;

    /** @param clients makes the KmqClient of (topic, group) */
    QueueService(BiFunction<String, String, KmqClient<byte[], byte[]>> clients, Duration messageTimeout,
                 String threadPrefix) {
        this.clients = clients;
        this.messageTimeout = messageTimeout;
        this.threadPrefix = threadPrefix;
    }

    /** Adds {@code member} to its group on this gateway, starting the group if needed. */
    synchronized void join(QueueMember member) {
        if (member.isClosed()) {
            return; // its connection closed while the topic was looked up: leave() ran first, under this lock
        }
        if (closed) {
            member.fail(FanoutSubscription.unavailable("the gateway is shutting down"));
            return;
        }
        Key key = new Key(member.endpoint().topic(), member.group());
        QueueGroup group = groups.computeIfAbsent(key, k -> {
            QueueGroup created = new QueueGroup(k.topic, k.group, () -> clients.apply(k.topic, k.group),
                    messageTimeout, threadPrefix + k.topic + "-" + k.group, this::failed, running::remove);
            running.add(created);
            created.start();
            return created;
        });
        group.join(member);
    }

    /** Removes {@code member} (closing it); stops its group when it was the last member here. */
    synchronized void leave(QueueMember member) {
        member.close();
        QueueGroup group = member.queueGroup();
        if (group == null) {
            return;
        }
        group.leave(member);
        if (group.memberCount() == 0 && groups.remove(new Key(group.topic(), group.group()), group)) {
            group.stop();
        }
    }

    /** How many groups run. */
    synchronized int size() {
        return groups.size();
    }

    private synchronized void failed(QueueGroup group) {
        groups.remove(new Key(group.topic(), group.group()), group);
    }

    /** Stops every group, releasing the records they hold, and waits for them (also those already stopping). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            groups.clear();
        }
        List<QueueGroup> stopping = new ArrayList<>(running);
        stopping.forEach(QueueGroup::stop);
        stopping.forEach(group -> group.stopAndWait(STOP_TIMEOUT));
    }

    private record Key(String topic, String group) {
    }
}
