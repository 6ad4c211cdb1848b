package io.kmq.gateway.internal;

/**
 * An entry of a connection's {@link Outbound} buffer. Items are rendered into frames on the connection's event loop
 * when they are written, in buffer order, so that per-connection state (such as a subscription's position, which
 * makes the resume token) follows exactly what was written.
 */
interface OutboundItem {

    /** The estimated size of the frame in bytes, for buffer accounting. */
    long bytes();

    /** The frame to write now, or null to write nothing (a duplicate, or an item of an ended subscription). */
    ServerMessage render();

    /** The same item marked as having replaced older values of its endpoint; items that are never conflated return this. */
    default OutboundItem conflated() {
        return this;
    }

    /** An item holding a ready frame. */
    static OutboundItem of(ServerMessage message, long bytes) {
        return new OutboundItem() {
            @Override
            public long bytes() {
                return bytes;
            }

            @Override
            public ServerMessage render() {
                return message;
            }
        };
    }
}
