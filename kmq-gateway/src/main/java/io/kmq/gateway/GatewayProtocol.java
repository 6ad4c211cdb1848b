package io.kmq.gateway;

/**
 * Constants of the gateway's WebSocket protocol, specified in {@code docs/protocol.md}: the subprotocol that names
 * its version, and the close codes the gateway uses.
 */
public final class GatewayProtocol {

    /** The protocol version this gateway speaks; sent in the {@code welcome} frame. */
    public static final int VERSION = 1;

    /** The WebSocket subprotocol of {@link #VERSION}, offered by clients in {@code Sec-WebSocket-Protocol}. */
    public static final String SUBPROTOCOL = "kmq.v1";

    /** The default path of the WebSocket endpoint. */
    public static final String DEFAULT_PATH = "/ws";

    /** Close code: the gateway is shutting down; reconnect (to another gateway) and resume. */
    public static final int CLOSE_GOING_AWAY = 1001;

    /** Close code: a frame was not valid WebSocket (sent by the WebSocket layer). */
    public static final int CLOSE_PROTOCOL_ERROR = 1002;

    /** Close code: a frame, or a message assembled from fragments, exceeded the gateway's maximum frame size. */
    public static final int CLOSE_MESSAGE_TOO_BIG = 1009;

    /** Close code: an unexpected failure in the gateway. */
    public static final int CLOSE_INTERNAL_ERROR = 1011;

    /**
     * Close code: the client read too slowly and its outbound buffer overflowed (policy {@code DISCONNECT}, or more
     * distinct endpoints than conflation can hold); reconnect and resume.
     */
    public static final int CLOSE_SLOW_CONSUMER = 4001;

    private GatewayProtocol() {
    }
}
