package io.kmq.gateway.client;

import java.util.Objects;

/** Where a new fan-out subscription starts: with new records, with the last values, or at a resume token. */
public final class SubscribeOptions {

    private static final SubscribeOptions NEW = new SubscribeOptions(false, null);
    private static final SubscribeOptions LAST = new SubscribeOptions(true, null);

    private final boolean last;
    private final String resumeToken;

    private SubscribeOptions(boolean last, String resumeToken) {
        this.last = last;
        this.resumeToken = resumeToken;
    }

    /** Start with the next record published. */
    public static SubscribeOptions fromNew() {
        return NEW;
    }

    /** Start with the last value of each endpoint the gateway knows, then new records. */
    public static SubscribeOptions fromLast() {
        return LAST;
    }

    /** Continue right after the record that carried {@code token} (or a {@code subscribed} answer's token). */
    public static SubscribeOptions resumeFrom(String token) {
        return new SubscribeOptions(false, Objects.requireNonNull(token, "token"));
    }

    /** Whether to start with the last values. */
    public boolean last() {
        return last;
    }

    /** The token to resume from, or null. */
    public String resumeToken() {
        return resumeToken;
    }

    @Override
    public String toString() {
        return resumeToken != null ? "resumeFrom(" + resumeToken + ")" : last ? "fromLast" : "fromNew";
    }
}
