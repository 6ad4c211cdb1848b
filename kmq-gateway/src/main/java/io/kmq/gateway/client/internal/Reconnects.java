package io.kmq.gateway.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which gateway the client tries next, and when: after a lost or failed connection the next address of the list, at
 * once the first time (another gateway is likely up), then after delays doubling from the initial one up to the
 * maximum, with jitter so that many clients do not reconnect in step. Event loop only.
 */
final class Reconnects {

    private final List<URI> addresses;
    private final long initialMillis;
    private final long maxMillis;
    private int index;
    private int failures;

    Reconnects(List<URI> addresses, Duration initial, Duration max) {
        this.addresses = List.copyOf(addresses);
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The address to connect to now. */
    URI current() {
        return addresses.get(index);
    }

    /** A connection succeeded: the next loss starts over with an immediate attempt. */
    void connected() {
        failures = 0;
    }

    /** A connection was lost or failed: moves to the next address and returns how long to wait, in milliseconds. */
    long next() {
        index = (index + 1) % addresses.size();
        long delay = failures == 0 ? 0 : backoff(failures);
        failures++;
        return delay;
    }

    private long backoff(int failure) {
        long capped = Math.min(initialMillis << Math.min(failure - 1, 20), maxMillis);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }
}
