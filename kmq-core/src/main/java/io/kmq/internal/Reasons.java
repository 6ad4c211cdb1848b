package io.kmq.internal;

import io.kmq.MarkerCodec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Fits reject reasons into the {@value MarkerCodec#MAX_REASON_BYTES} UTF-8 bytes a REJECT marker may carry. */
public final class Reasons {

    private Reasons() {
    }

    /**
     * The longest prefix of {@code reason} whose UTF-8 encoding takes at most {@code maxBytes} bytes, cut at a
     * character boundary (a surrogate pair is never split). Unpaired surrogates count as the one byte {@code '?'} they
     * are encoded as.
     */
    public static String truncateUtf8(String reason, int maxBytes) {
        if (reason.length() <= maxBytes / 3) {
            return reason; // at most 3 UTF-8 bytes per char (a surrogate pair takes 4 bytes for 2 chars)
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer in = CharBuffer.wrap(reason);
        // the encoder stops before a character that does not fit whole, so the prefix read is what was encoded
        encoder.encode(in, ByteBuffer.allocate(maxBytes), true);
        return in.hasRemaining() ? reason.substring(0, in.position()) : reason;
    }

    /** {@link #truncateUtf8} to {@value MarkerCodec#MAX_REASON_BYTES} bytes. */
    public static String forRejectMarker(String reason) {
        return truncateUtf8(reason, MarkerCodec.MAX_REASON_BYTES);
    }
}
