package io.kmq.gateway.client;

import io.kmq.gateway.ErrorCode;
import java.util.Objects;

/** A request the gateway refused (with its error code), or one whose connection was lost before the answer. */
public final class GatewayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /** An exception with the gateway's (or the client's) error code and message. */
    public GatewayException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The error code; {@link ErrorCode#CONNECTION_LOST} when the outcome is unknown. */
    public ErrorCode code() {
        return code;
    }
}
