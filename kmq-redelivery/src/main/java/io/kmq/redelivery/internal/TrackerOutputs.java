package io.kmq.redelivery.internal;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards the tracker's writes to its three sinks. Forwarding (rather than producing directly) puts every write in
 * the task's exactly-once transaction, together with the state change that caused it.
 */
public final class TrackerOutputs {

    private final ProcessorContext<SinkKey, byte[]> context;
    private final TrackerTopology.Names names;

    /** Outputs of the processor with {@code names}. */
    public TrackerOutputs(ProcessorContext<SinkKey, byte[]> context, TrackerTopology.Names names) {
        this.context = context;
        this.names = names;
    }

    /** Writes a record to the message topic, partition {@code partition}. */
    public void redeliver(int partition, byte[] key, byte[] value, Headers headers, long timestamp) {
        context.forward(new Record<>(new SinkKey(partition, key), value, timestamp, headers), names.redeliverySink());
    }

    /** Writes a record to the dead-letter topic, partition {@code partition} modulo its partition count. */
    public void deadLetter(int partition, byte[] key, byte[] value, Headers headers, long timestamp) {
        context.forward(new Record<>(new SinkKey(partition, key), value, timestamp, headers), names.deadLetterSink());
    }

    /** Writes a marker to markers partition {@code key.partition()}. */
    public void marker(MarkerKey key, Marker marker, long timestamp) {
        context.forward(new Record<>(new SinkKey(key.partition(), MarkerCodec.encodeKey(key)),
                MarkerCodec.encodeValue(marker), timestamp, new RecordHeaders()), names.markersSink());
    }
}
