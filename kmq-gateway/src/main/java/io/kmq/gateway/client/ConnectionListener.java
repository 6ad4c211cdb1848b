package io.kmq.gateway.client;

import java.net.URI;

/** Told when a {@link GatewayClient} connects to a gateway or loses its connection; called on the client's I/O thread. */
public interface ConnectionListener {

    /** Connected to {@code address}, the gateway named {@code gatewayId}; subscriptions are being renewed. */
    default void connected(URI address, String gatewayId) {
    }

    /** The connection to {@code address} ended (or could not be made); the client reconnects. */
    default void disconnected(URI address, String reason) {
    }
}
