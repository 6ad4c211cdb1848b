package io.kmq.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.gateway.ErrorCode;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void parsesTheThreeForms() {
        assertEquals(new Endpoint("prices", "EURUSD", Endpoint.Kind.KEY), Endpoint.parse("/prices/EURUSD"));
        assertEquals(new Endpoint("prices", null, Endpoint.Kind.ALL_KEYS), Endpoint.parse("/prices/*"));
        assertEquals(new Endpoint("orders", null, Endpoint.Kind.TOPIC), Endpoint.parse("/orders"));
    }

    @Test
    void keysMayContainSlashesAndAnyText() {
        Endpoint endpoint = Endpoint.parse("/t/a/b c/ü");
        assertEquals("t", endpoint.topic());
        assertEquals("a/b c/ü", endpoint.key());
        assertEquals("/t/a/b c/ü", endpoint.toString());
    }

    @Test
    void matchesRecordsOfItsKeyOrAll() {
        assertTrue(Endpoint.parse("/t/k").matches("k"));
        assertFalse(Endpoint.parse("/t/k").matches("j"));
        assertFalse(Endpoint.parse("/t/k").matches(null));
        assertTrue(Endpoint.parse("/t/*").matches("j"));
        assertTrue(Endpoint.parse("/t/*").matches(null));
    }

    @Test
    void recordEndpoints() {
        assertEquals("/t/k", Endpoint.ofRecord("t", "k").toString());
        assertEquals("/t", Endpoint.ofRecord("t", null).toString());
        assertNull(Endpoint.ofRecord("t", null).key());
    }

    @Test
    void refusesInvalidEndpoints() {
        assertInvalid(null, "empty");
        assertInvalid("", "empty");
        assertInvalid("t/k", "must start with '/'");
        assertInvalid("/", "topic is empty");
        assertInvalid("//k", "topic is empty");
        assertInvalid("/t/", "key is empty");
        assertInvalid("/t t/k", "contains ' '");
        assertInvalid("/__consumer_offsets/k", "internal");
        assertInvalid("/../k", "not a valid topic name");
        assertInvalid("/" + "t".repeat(250), "250 characters");
        assertInvalid("/t/" + "k".repeat(1025), "1025 UTF-8 bytes");
    }

    private static void assertInvalid(String text, String expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Endpoint.parse(text));
        assertEquals(ErrorCode.INVALID_ENDPOINT, e.code());
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
