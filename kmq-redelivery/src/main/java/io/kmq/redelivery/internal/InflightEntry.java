package io.kmq.redelivery.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What the tracker knows about one in-flight message: when it is due, when its processing first started, and what to
 * do when it is due. Stored as the value of the {@code inflight} store, keyed by the marker key bytes.
 *
 * <p>Stored format, version 1 (big-endian): {@code int8 version=1, int64 deadline, int64 firstStart, int8 action},
 * and for {@link PendingAction#REJECT} {@code uint16 n, n bytes of UTF-8 reason}.
 *
 * @param deadline   when the message is due, epoch ms in the markers topic's (broker) time
 * @param firstStart the timestamp of the first START marker seen for the message
 * @param action     what to do when due
 * @param reason     the client's reason for {@link PendingAction#REJECT}, empty otherwise
 */
public record InflightEntry(long deadline, long firstStart, PendingAction action, String reason) {

    private static final byte VERSION = 1;
    private static final int FIXED_LENGTH = 18;

    /** Validates the fields. */
    public InflightEntry {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        deadline = DeadlineIndex.clamp(deadline);
    }

    /** A message whose processing started at {@code start} and times out at {@code deadline}. */
    public static InflightEntry started(long start, long deadline) {
        return new InflightEntry(deadline, start, PendingAction.TIMEOUT, "");
    }

    /** This entry due at {@code newDeadline} with {@code newAction} (and no reason). */
    public InflightEntry due(long newDeadline, PendingAction newAction) {
        return new InflightEntry(newDeadline, firstStart, newAction, "");
    }

    /** This entry rejected at {@code at} with the client's reason. */
    public InflightEntry rejected(long at, String why) {
        return new InflightEntry(at, firstStart, PendingAction.REJECT, why);
    }

    /** Encodes the entry for the store. */
    public byte[] encode() {
        byte[] reasonBytes = action == PendingAction.REJECT ? reason.getBytes(StandardCharsets.UTF_8) : new byte[0];
        int extra = action == PendingAction.REJECT ? 2 + reasonBytes.length : 0;
        ByteBuffer buffer = ByteBuffer.allocate(FIXED_LENGTH + extra)
                .put(VERSION).putLong(deadline).putLong(firstStart).put(action.code());
        if (action == PendingAction.REJECT) {
            buffer.putShort((short) reasonBytes.length).put(reasonBytes);
        }
        return buffer.array();
    }

    /**
     * Decodes a stored entry.
     *
     * @throws IllegalStateException if the bytes are not an entry of a known version (corrupt state)
     */
    public static InflightEntry decode(byte[] bytes) {
        if (bytes == null || bytes.length < FIXED_LENGTH || bytes[0] != VERSION) {
            throw new IllegalStateException("stored in-flight entry of " + (bytes == null ? "null" : bytes.length
                    + " bytes, version " + (bytes.length == 0 ? "none" : bytes[0]))
                    + " (expected: version " + VERSION + ", at least " + FIXED_LENGTH + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        long deadline = buffer.getLong();
        long firstStart = buffer.getLong();
        PendingAction action = PendingAction.of(buffer.get());
        String reason = "";
        if (action == PendingAction.REJECT) {
            int length = bytes.length >= FIXED_LENGTH + 2 ? buffer.getShort() & 0xFFFF : -1;
            if (length < 0 || bytes.length != FIXED_LENGTH + 2 + length) {
                throw new IllegalStateException("stored REJECT entry of " + bytes.length + " bytes, reason length "
                        + length + " (expected: " + FIXED_LENGTH + " + 2 + length bytes)");
            }
            reason = new String(bytes, FIXED_LENGTH + 2, length, StandardCharsets.UTF_8);
        }
        return new InflightEntry(deadline, firstStart, action, reason);
    }
}
