package io.kmq.bench.jmh;

import io.kmq.Marker;
import io.kmq.MarkerCodec;
import io.kmq.MarkerKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The cost of the marker wire format per message: a key and a START value encoded, then both decoded by the tracker. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MarkerCodecBench {

    private final MarkerKey key = new MarkerKey(3, 123_456_789L);
    private final Marker start = new Marker.Start(Duration.ofSeconds(30));
    private final Marker end = new Marker.End();
    private final byte[] keyBytes = MarkerCodec.encodeKey(key);
    private final byte[] startBytes = MarkerCodec.encodeValue(start);
    private final byte[] endBytes = MarkerCodec.encodeValue(end);

    /** A marker key: 12 bytes. */
    @Benchmark
    public byte[] encodeKey() {
        return MarkerCodec.encodeKey(key);
    }

    /** A START value: type byte and timeout. */
    @Benchmark
    public byte[] encodeStart() {
        return MarkerCodec.encodeValue(start);
    }

    /** An END value: one byte. */
    @Benchmark
    public byte[] encodeEnd() {
        return MarkerCodec.encodeValue(end);
    }

    /** What the client does per record for START: key and value. */
    @Benchmark
    public int encodeStartMarker() {
        return MarkerCodec.encodeKey(key).length + MarkerCodec.encodeValue(start).length;
    }

    /** A marker key, validated. */
    @Benchmark
    public MarkerKey decodeKey() {
        return MarkerCodec.decodeKey(keyBytes);
    }

    /** A START value, validated. */
    @Benchmark
    public Marker decodeStart() {
        return MarkerCodec.decodeValue(startBytes);
    }

    /** An END value. */
    @Benchmark
    public Marker decodeEnd() {
        return MarkerCodec.decodeValue(endBytes);
    }
}
