package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import java.util.Objects;

/** A request the gateway refuses with an {@code error} frame: the code, the request's id if it had one, and why. */
public final class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String requestId;

    /** A refusal of the request with id {@code requestId} (null when it had none). */
    public ProtocolException(ErrorCode code, String requestId, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.requestId = requestId;
    }

    /** A refusal of a request without id. */
    public ProtocolException(ErrorCode code, String message) {
        this(code, null, message);
    }

    /** The error code sent to the client. */
    public ErrorCode code() {
        return code;
    }

    /** The id of the refused request, or null. */
    public String requestId() {
        return requestId;
    }

    /** The same refusal, for the request with id {@code id}. */
    public ProtocolException withRequestId(String id) {
        return id == null || id.equals(requestId) ? this : new ProtocolException(code, id, getMessage());
    }

    /** The {@code error} frame of this refusal. */
    public ServerMessage.ErrorReply toMessage() {
        return new ServerMessage.ErrorReply(requestId, code, getMessage());
    }
}
