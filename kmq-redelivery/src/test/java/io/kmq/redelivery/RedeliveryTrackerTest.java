package io.kmq.redelivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** What {@link RedeliveryTracker#start} rejects before it talks to any broker. */
class RedeliveryTrackerTest {

    private static KmqConfig config(String topic) {
        return KmqConfig.builder().topic(topic).groupId("g").bootstrapServers("localhost:1").build();
    }

    @Test
    void atLeastOneConfigIsNeeded() {
        ConfigException error = assertThrows(ConfigException.class, () -> RedeliveryTracker.start());
        assertTrue(error.getMessage().contains("at least one"), error.getMessage());
    }

    @Test
    void aTopicCannotBeServedTwice() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> RedeliveryTracker.start(config("orders"), config("orders")));
        assertTrue(error.getMessage().contains("'orders'"), error.getMessage());
    }

    @Test
    void aDeadLetterTopicCannotBeAnotherServedTopic() {
        KmqConfig payments = config("payments").toBuilder().deadLetterTopic("orders").build();
        ConfigException error = assertThrows(ConfigException.class,
                () -> RedeliveryTracker.start(config("orders"), payments));
        assertTrue(error.getMessage().contains("'orders'") && error.getMessage().contains("payments"),
                error.getMessage());
    }

    @Test
    void everyStreamsStateMapsToATrackerState() {
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            TrackerState.of(state);
        }
        assertEquals(TrackerState.FAILED, TrackerState.of(KafkaStreams.State.ERROR));
        assertEquals(TrackerState.RUNNING, TrackerState.of(KafkaStreams.State.RUNNING));
    }
}
