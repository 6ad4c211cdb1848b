package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DropPolicyTest {

    @Test
    void sameSeedDropsTheSameDeliveries() {
        DropPolicy a = new DropPolicy(0.5, 4, 7);
        DropPolicy b = new DropPolicy(0.5, 4, 7);
        for (int seq = 0; seq < 1_000; seq++) {
            for (int dropped = 0; dropped < 4; dropped++) {
                assertEquals(a.drop(seq, dropped), b.drop(seq, dropped));
            }
        }
    }

    @Test
    void neverDropsAMessageMoreThanMaxDropsTimes() {
        DropPolicy policy = new DropPolicy(0.99, 3, 1);
        for (int seq = 0; seq < 10_000; seq++) {
            assertFalse(policy.drop(seq, 3));
        }
    }

    @Test
    void deliveriesPerMessageMatchTheExpectation() {
        DropPolicy policy = new DropPolicy(0.5, 4, 42);
        int messages = 200_000;
        long deliveries = 0;
        for (int seq = 0; seq < messages; seq++) {
            int dropped = 0;
            while (policy.drop(seq, dropped)) {
                dropped++;
            }
            deliveries += dropped + 1;
        }
        assertEquals(1.9375, policy.expectedDeliveriesPerMessage(), 1e-12);
        assertEquals(policy.expectedDeliveriesPerMessage(), (double) deliveries / messages, 0.01);
    }

    @Test
    void noneAndZeroProbabilityDropNothing() {
        assertFalse(DropPolicy.NONE.dropsAny());
        assertFalse(new DropPolicy(0, 4, 1).dropsAny());
        assertFalse(new DropPolicy(0.5, 0, 1).dropsAny());
        assertTrue(new DropPolicy(0.5, 1, 1).dropsAny());
        for (int seq = 0; seq < 1_000; seq++) {
            assertFalse(DropPolicy.NONE.drop(seq, 0));
        }
        assertEquals(1.0, DropPolicy.NONE.expectedDeliveriesPerMessage());
    }

    @Test
    void rejectsBadSettings() {
        assertEquals("probability : 1.0 (expected: >= 0 and < 1)",
                assertThrows(IllegalArgumentException.class, () -> new DropPolicy(1.0, 1, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DropPolicy(Double.NaN, 1, 1));
        assertEquals("maxDrops : -1 (expected: >= 0)",
                assertThrows(IllegalArgumentException.class, () -> new DropPolicy(0.5, -1, 1)).getMessage());
    }
}
