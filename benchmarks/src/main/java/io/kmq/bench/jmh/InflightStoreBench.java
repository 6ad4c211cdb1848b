package io.kmq.bench.jmh;

import io.kmq.Marker;
import io.kmq.MarkerKey;
import io.kmq.redelivery.internal.InflightStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The tracker's per-marker work on its state (memory copy written through to the in-flight and ranges stores), with
 * {@code inFlight} messages already tracked: a START then END of a new message (the steady state of a healthy
 * consumer with per-message markers), and the punctuation's queries when nothing is due. The stores are the tracker's
 * own kinds (RocksDB, as in production, or in memory), without caching or changelog.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InflightStoreBench {

    private static final long TIMEOUT_MS = Duration.ofSeconds(30).toMillis();
    private static final Marker START = new Marker.Start(Duration.ofMillis(TIMEOUT_MS));
    private static final Marker END = new Marker.End();

    /** The store kind. */
    @Param({"rocksdb", "memory"})
    public String store;

    /** Messages in flight before measuring. */
    @Param({"10000", "100000"})
    public int inFlight;

    private Path stateDir;
    private KeyValueStore<Bytes, byte[]> inflightStore;
    private KeyValueStore<Bytes, byte[]> rangeStore;
    private InflightStore tracked;
    private long nextOffset;
    private long now;

    /** Opens the stores and fills them with {@link #inFlight} started messages. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        stateDir = Files.createTempDirectory("kmq-jmh-store-");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "kmq-jmh");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(config, new TaskId(0, 0),
                stateDir.toFile());
        inflightStore = build("inflight");
        inflightStore.init(context.getStateStoreContext(), inflightStore);
        rangeStore = build("ranges");
        rangeStore.init(context.getStateStoreContext(), rangeStore);
        tracked = new InflightStore(inflightStore, rangeStore);
        now = 1_795_000_000_000L;
        for (long offset = 0; offset < inFlight; offset++) {
            tracked.apply(new MarkerKey(0, offset), START, now + offset / 10);
        }
        nextOffset = inFlight;
    }

    private KeyValueStore<Bytes, byte[]> build(String name) {
        KeyValueBytesStoreSupplier supplier = "memory".equals(store) ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentKeyValueStore(name);
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled().withLoggingDisabled().build();
    }

    /** Closes the stores and deletes their files. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        inflightStore.close();
        rangeStore.close();
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** A new message starts and ends: two updates of the memory copy, one entry write and one delete in the store. */
    @Benchmark
    public long startThenEnd() {
        MarkerKey key = new MarkerKey(0, nextOffset++);
        long at = now + nextOffset / 10;
        tracked.apply(key, START, at);
        tracked.apply(key, END, at + 1);
        return tracked.count();
    }

    /** A punctuation when nothing is due yet: an empty walk of the deadline index. */
    @Benchmark
    public List<InflightStore.Due> dueBeforeNothingDue() {
        return tracked.dueBefore(now, 1_000);
    }

    /** A punctuation looking for the next deadline to prove with a tick. */
    @Benchmark
    public Object firstDeadline() {
        return tracked.firstDeadlineAtOrAfter(now);
    }
}
