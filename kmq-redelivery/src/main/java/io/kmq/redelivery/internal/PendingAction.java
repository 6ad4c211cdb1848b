package io.kmq.redelivery.internal;

/** What the tracker does with an in-flight message once its deadline has provably passed. */
public enum PendingAction {
    /** Processing timed out (or was extended and timed out): redeliver, or dead-letter after the last attempt. */
    TIMEOUT((byte) 0),
    /** The client released the message: redeliver after the delay; counts as an attempt like a timeout. */
    RELEASE((byte) 1),
    /** The client rejected the message: dead-letter it with the client's reason. */
    REJECT((byte) 2);

    private final byte code;

    PendingAction(byte code) {
        this.code = code;
    }

    /** The byte stored in an {@link InflightEntry}. */
    public byte code() {
        return code;
    }

    /**
     * The action stored as {@code code}.
     *
     * @throws IllegalStateException if no action has that code (corrupt state)
     */
    public static PendingAction of(byte code) {
        for (PendingAction action : values()) {
            if (action.code == code) {
                return action;
            }
        }
        throw new IllegalStateException("stored pending action " + code + " (expected: 0 to 2)");
    }
}
