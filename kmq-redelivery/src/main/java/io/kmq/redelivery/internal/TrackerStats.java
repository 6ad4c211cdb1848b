package io.kmq.redelivery.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link TopicStats} of every topic a tracker serves; the set of topics is fixed at construction. */
public final class TrackerStats {

    private final Map<String, TopicStats> byTopic;

    /** Stats for each of {@code topics}. */
    public TrackerStats(Collection<String> topics) {
        Map<String, TopicStats> map = new LinkedHashMap<>();
        topics.forEach(topic -> map.put(topic, new TopicStats(topic)));
        this.byTopic = Collections.unmodifiableMap(map);
    }

    /**
     * The stats of one topic.
     *
     * @throws IllegalArgumentException if the tracker does not serve the topic
     */
    public TopicStats topic(String topic) {
        TopicStats stats = byTopic.get(topic);
        if (stats == null) {
            throw new IllegalArgumentException("topic : " + topic + " (expected: one of " + byTopic.keySet() + ")");
        }
        return stats;
    }

    /** The stats of every served topic, in the order the topics were given. */
    public Collection<TopicStats> topics() {
        return byTopic.values();
    }
}
