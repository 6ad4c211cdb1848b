package io.kmq.gateway.client.internal;

import io.kmq.gateway.client.GatewayException;
import io.kmq.gateway.internal.ClientCommand;
import io.kmq.gateway.internal.ServerMessage;
import java.util.function.Consumer;

/** A request of the client waiting for its answer; touched on the client's event loop only. */
final class PendingRequest {

    final String id;
    final ClientCommand command;
    /** Takes the answer (anything but an error). */
    final Consumer<ServerMessage> answered;
    /** Takes the gateway's error, or the loss of the connection the request was sent on. */
    final Consumer<GatewayException> failed;
    /** The connection it was sent on; 0 while it waits for a connection. */
    long sentOn;

    PendingRequest(String id, ClientCommand command, Consumer<ServerMessage> answered,
                   Consumer<GatewayException> failed) {
        this.id = id;
        this.command = command;
        this.answered = answered;
        this.failed = failed;
    }
}
