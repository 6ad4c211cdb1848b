package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmq.Marker;
import io.kmq.MarkerKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Range markers have exactly the effect of one START (END) per covered offset with the range marker's timestamp:
 * random marker sequences are applied to an {@link InflightStore} and, expanded, to a per-offset model built from
 * {@link Transitions}; every offset's state, the count and the due messages must agree after every step, also after
 * the store's memory copy is rebuilt from the state stores (as when a task restarts) at random steps.
 */
class RangeSemanticsTest {

    private static final int OFFSETS = 48;

    @Test
    void randomMarkerSequencesMatchTheExpansionIntoPerOffsetMarkers() {
        try (Harness harness = new Harness()) {
            for (long seed = 1; seed <= 120; seed++) {
                check(harness, new Random(seed), seed);
            }
        }
    }

    @Test
    void startRangeOverARangeInFlightKeepsTheFirstStartAndRefreshesTheDeadline() {
        try (Harness harness = new Harness()) {
            harness.run(RangeSemanticsTest::startRangeOverARangeInFlight);
        }
    }

    private static void startRangeOverARangeInFlight(InflightStore store) {
        store.apply(new MarkerKey(0, 10), new Marker.StartRange(Duration.ofMillis(1000), 10), 0);
        store.apply(new MarkerKey(0, 12), new Marker.End(), 50);
        store.apply(new MarkerKey(0, 15), new Marker.StartRange(Duration.ofMillis(1000), 10), 100);

        assertEquals(InflightEntry.started(0, 1000), store.get(new MarkerKey(0, 14)));
        assertEquals(new InflightEntry(1100, 0, PendingAction.TIMEOUT, ""), store.get(new MarkerKey(0, 15)));
        assertEquals(InflightEntry.started(100, 1100), store.get(new MarkerKey(0, 20)));
        assertEquals(null, store.get(new MarkerKey(0, 12)));
        assertEquals(14, store.count());
        assertEquals(14, store.scan().count());
    }

    private static void check(Harness harness, Random random, long seed) {
        Map<Long, InflightEntry> model = new TreeMap<>();
        long[] time = {0};
        boolean oneCallPerStep = seed % 2 == 0;
        List<Consumer<InflightStore>> steps = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            int index = step;
            steps.add(store -> step(store, model, random, time, "seed " + seed + " step " + index));
        }
        if (oneCallPerStep) {
            for (Consumer<InflightStore> step : steps) {
                if (random.nextInt(6) == 0) {
                    harness.reloadBeforeNextRun();
                }
                harness.run(step);
            }
        } else {
            harness.run(store -> steps.forEach(step -> step.accept(store)));
        }
        harness.run(store -> {
            assertEquals(model.size(), store.scan().count(), "seed " + seed + ": scan");
            assertEquals(expectedDue(model, Long.MAX_VALUE, model.size()), store.dueBefore(Long.MAX_VALUE, 10_000)
                    .stream().map(d -> d.key().offset() + "=" + d.entry()).toList(), "seed " + seed + ": all due");
            // leave the stores empty for the next seed
            store.forget(store.dueBefore(Long.MAX_VALUE, 10_000));
            assertEquals(0, store.scan().count());
        });
    }

    private static void step(InflightStore store, Map<Long, InflightEntry> model, Random random, long[] time,
                             String name) {
        time[0] += random.nextInt(200);
        long offset = random.nextInt(OFFSETS);
        int count = 1 + random.nextInt(Math.min(16, OFFSETS - (int) offset));
        Marker marker = randomMarker(random, count);
        String what = name + ": " + marker + " at " + offset + " time " + time[0];
        store.apply(new MarkerKey(0, offset), marker, time[0]);
        expand(model, offset, marker, time[0]);
        if (random.nextInt(5) == 0) {
            int limit = 1 + random.nextInt(10);
            List<InflightStore.Due> due = store.dueBefore(time[0], limit);
            assertEquals(expectedDue(model, time[0], limit), due.stream()
                    .map(d -> d.key().offset() + "=" + d.entry()).toList(), what + ": due");
            List<InflightStore.Due> handled = due.subList(0, random.nextInt(due.size() + 1));
            store.forget(handled);
            handled.forEach(d -> model.remove(d.key().offset()));
        }
        for (long o = 0; o < OFFSETS; o++) {
            assertEquals(model.get(o), store.get(new MarkerKey(0, o)), what + ": offset " + o);
        }
        assertEquals(model.size(), store.count(), what + ": count");
        assertEquals(model.isEmpty() ? OptionalLong.empty() : OptionalLong.of(model.values().stream()
                .mapToLong(InflightEntry::deadline).min().orElseThrow()), store.firstDeadlineAtOrAfter(0),
                what + ": first deadline");
        assertEquals(store.firstDeadlineAtOrAfter(0).orElse(Long.MAX_VALUE), store.earliestDeadline(),
                what + ": earliest deadline");
    }

    private static Marker randomMarker(Random random, int count) {
        Duration time = Duration.ofMillis(1 + random.nextInt(2000));
        return switch (random.nextInt(9)) {
            case 0, 1, 2 -> new Marker.StartRange(time, count);
            case 3, 4 -> new Marker.EndRange(count);
            case 5 -> new Marker.Start(time);
            case 6 -> new Marker.End();
            case 7 -> random.nextBoolean() ? new Marker.Release(time) : new Marker.Extend(time);
            default -> new Marker.Reject("r" + random.nextInt(3));
        };
    }

    /** The definition: one per-offset marker for each covered offset, with the range marker's timestamp. */
    private static void expand(Map<Long, InflightEntry> model, long offset, Marker marker, long time) {
        int count = 1;
        Marker each = marker;
        if (marker instanceof Marker.StartRange start) {
            count = start.count();
            each = new Marker.Start(start.timeout());
        } else if (marker instanceof Marker.EndRange end) {
            count = end.count();
            each = new Marker.End();
        }
        for (long o = offset; o < offset + count; o++) {
            Transitions.Outcome outcome = Transitions.apply(model.get(o), each, time);
            if (outcome instanceof Transitions.Put put) {
                model.put(o, put.entry());
            } else if (outcome instanceof Transitions.Remove) {
                model.remove(o);
            }
        }
    }

    private static List<String> expectedDue(Map<Long, InflightEntry> model, long before, int limit) {
        List<Map.Entry<Long, InflightEntry>> due = new ArrayList<>();
        model.entrySet().stream().filter(e -> e.getValue().deadline() < before).forEach(due::add);
        due.sort(Comparator.comparingLong((Map.Entry<Long, InflightEntry> e) -> e.getValue().deadline())
                .thenComparingLong(Map.Entry::getKey));
        return due.stream().limit(limit).map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * Runs {@code action} on an {@link InflightStore} over in-memory stores (the range stores cached,
     * as in the topology) inside a TopologyTestDriver, one {@code process} call per {@code action} call, so cache
     * entries (also deleted ones) live across the steps of one call.
     */
    private static final class Harness implements AutoCloseable {
        private final TopologyTestDriver driver;
        private final TestInputTopic<byte[], byte[]> input;
        private Consumer<InflightStore> action;
        private boolean reloadNext;

        Harness() {
            Topology topology = new Topology();
            topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), "in");
            topology.addProcessor("p", () -> new Processor<byte[], byte[], Void, Void>() {
                private ProcessorContext<Void, Void> context;
                private InflightStore store;

                @Override
                public void init(ProcessorContext<Void, Void> context) {
                    this.context = context;
                    store = load();
                }

                private InflightStore load() {
                    return new InflightStore(context.getStateStore("inflight"), context.getStateStore("ranges"));
                }

                @Override
                public void process(Record<byte[], byte[]> record) {
                    if (reloadNext) {
                        // as a restarted task: the memory copy rebuilt from what was written through
                        store = load();
                        reloadNext = false;
                    }
                    action.accept(store);
                }
            }, "in");
            for (String name : List.of("inflight", "ranges")) {
                StoreBuilder<KeyValueStore<Bytes, byte[]>> builder = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
                topology.addStateStore(builder.withCachingEnabled(), "p");
            }
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "range-semantics");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
            try {
                props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("kmq-ranges-").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            driver = new TopologyTestDriver(topology, props);
            input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
        }

        /** The next {@link #run} first rebuilds the store from the state stores, as a restarted task would. */
        void reloadBeforeNextRun() {
            reloadNext = true;
        }

        void run(Consumer<InflightStore> next) {
            action = next;
            input.pipeInput(new byte[0], new byte[0]);
        }

        @Override
        public void close() {
            driver.close();
        }
    }
}
