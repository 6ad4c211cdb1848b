package io.kmq.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    @Test
    void hasDocumentedDefaults() {
        GatewayConfig config = GatewayConfig.builder().bootstrapServers("k:9092").build();
        assertEquals(8080, config.port());
        assertEquals("/ws", config.path());
        assertEquals(64 * 1024, config.maxFrameBytes());
        assertEquals(1024 * 1024, config.outboundBufferBytes());
        assertEquals(SlowConsumerPolicy.DISCONNECT, config.slowConsumerPolicy());
        assertEquals(Duration.ofSeconds(30), config.queueMessageTimeout());
        assertEquals(config.toString(), config.toBuilder().build().toString());
    }

    @Test
    void namesTheSettingTheValueAndWhatWasExpected() {
        assertRefused(b -> b.bootstrapServers(null), "bootstrapServers : null (expected: non-empty)");
        assertRefused(b -> b.port(70_000), "port : 70000 (expected: 0..65535)");
        assertRefused(b -> b.path("ws"), "path : ws (expected: starting with '/')");
        assertRefused(b -> b.maxFrameBytes(10), "maxFrameBytes : 10 (expected: 1024..67108864)");
        assertRefused(b -> b.outboundBufferBytes(100), "outboundBufferBytes : 100 (expected: >= 4096)");
        assertRefused(b -> b.handshakeTimeout(Duration.ZERO), "handshakeTimeout : PT0S (expected: > 0)");
        assertRefused(b -> b.maxPrefetch(50).queueMaxInFlight(10),
                "queueMaxInFlight : 10 (expected: >= maxPrefetch (50)");
        assertRefused(b -> b.kafkaProperty("bootstrap.servers", "x"), "kafkaProperties cannot contain bootstrap.servers");
        assertRefused(b -> b.ioThreads(0), "ioThreads : 0 (expected: >= 1)");
    }

    private static void assertRefused(UnaryOperator<GatewayConfig.Builder> change, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(GatewayConfig.builder().bootstrapServers("k:9092")).build());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(expected), e::getMessage);
    }
}
