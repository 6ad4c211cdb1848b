package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KmqConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientPropertiesTest {

    private static KmqConfig.Builder base() {
        return KmqConfig.builder().topic("orders").groupId("billing").bootstrapServers("localhost:9092");
    }

    @Test
    void consumerGetsTheGuaranteeSettingsAndDefaults() {
        Map<String, Object> consumer = ClientProperties.consumer(base().maxInFlight(100).build());
        assertEquals("billing", consumer.get("group.id"));
        assertEquals("false", consumer.get("enable.auto.commit"));
        assertEquals("read_committed", consumer.get("isolation.level"));
        assertEquals("earliest", consumer.get("auto.offset.reset"));
        assertEquals("100", consumer.get("max.poll.records"));
        assertEquals("localhost:9092", consumer.get("bootstrap.servers"));
        assertFalse(consumer.keySet().stream().anyMatch(key -> key.startsWith("kmq.")));
    }

    @Test
    void userChoicesForOffsetResetAndPollSizeWin() {
        Map<String, Object> consumer = ClientProperties.consumer(base()
                .set("auto.offset.reset", "latest").set("max.poll.records", "7").build());
        assertEquals("latest", consumer.get("auto.offset.reset"));
        assertEquals("7", consumer.get("max.poll.records"));
        assertEquals("500", ClientProperties.consumer(base().build()).get("max.poll.records"));
    }

    @Test
    void producerIsIdempotentWithAcksAllAndNoLingerWhenHandOutsWaitForStarts() {
        assertEquals("20", ClientProperties.producer(base().build()).get("linger.ms"), "no hand-out waits: 20 ms");
        Map<String, Object> producer = ClientProperties.producer(base().awaitStartBeforeHandout(true).build());
        assertEquals("all", producer.get("acks"));
        assertEquals("true", producer.get("enable.idempotence"));
        assertEquals("0", producer.get("linger.ms"));
        assertFalse(ClientProperties.lingers(producer));
        Map<String, Object> lingering = ClientProperties.producer(base().set("linger.ms", "20").build());
        assertEquals("20", lingering.get("linger.ms"));
        assertTrue(ClientProperties.lingers(lingering));
        assertTrue(ClientProperties.lingers(Map.of("linger.ms", 5)));
        assertFalse(ClientProperties.lingers(Map.of("linger.ms", " 0 ")));
        assertFalse(ClientProperties.lingers(Map.of()));
    }

    @Test
    void clientIdIsSuffixedPerClientSoThatMetricsDoNotClash() {
        KmqConfig config = base().set("client.id", "app").build();
        assertEquals("app", ClientProperties.consumer(config).get("client.id"));
        assertEquals("app-markers", ClientProperties.producer(config).get("client.id"));
        assertEquals("app-admin", ClientProperties.admin(config).get("client.id"));
        assertFalse(ClientProperties.producer(base().build()).containsKey("client.id"));
    }
}
