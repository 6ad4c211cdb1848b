package io.kmq.redelivery.internal;

import io.kmq.KmqConfig;
import io.kmq.redelivery.TrackerSettings;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the tracker's topology: one independent sub-topology per served {@link KmqConfig}, each
 * {@code markers topic → tracker processor (inflight + ranges stores) → message / markers / dead-letter sinks}.
 *
 * <p>Node and store names derive from the message topic, so a tracker serving several topics keeps each topic's
 * state apart, and the state of a topic survives adding or removing other topics.
 */
public final class TrackerTopology {

    private TrackerTopology() {
    }

    /**
     * The names of one sub-topology's nodes and stores.
     *
     * @param source         the markers source
     * @param processor      the tracker processor
     * @param inflightStore  the store of single in-flight entries
     * @param rangesStore    the store of ranges of offsets started together
     * @param redeliverySink the sink to the message topic
     * @param markersSink    the sink to the markers topic
     * @param deadLetterSink the sink to the dead-letter topic
     */
    public record Names(String source, String processor, String inflightStore, String rangesStore,
                        String redeliverySink, String markersSink, String deadLetterSink) {

        /** The names for the sub-topology serving {@code config}. */
        public static Names of(KmqConfig config) {
            String prefix = "kmq-" + config.topic() + "-";
            return new Names(prefix + "markers-source", prefix + "tracker", prefix + "inflight", prefix + "ranges",
                    prefix + "redelivery-sink", prefix + "markers-sink", prefix + "dead-letter-sink");
        }
    }

    /**
     * Settings of the processors.
     *
     * @param punctuationInterval       how often each task looks for due messages
     * @param maxActionsPerPunctuation  how many messages one task redelivers or dead-letters per punctuation at most
     * @param actOnRead                 whether to act as soon as a marker read proves a message due, not only at
     *                                  punctuations
     * @param commitGap                 the least time between the commits a stream thread's tasks ask for after
     *                                  acting
     */
    public record Options(Duration punctuationInterval, int maxActionsPerPunctuation, boolean actOnRead,
                          Duration commitGap) {

        /** Options that act on read and ask for commits at most every default commit interval. */
        public Options(Duration punctuationInterval, int maxActionsPerPunctuation) {
            this(punctuationInterval, maxActionsPerPunctuation, true,
                    Duration.ofMillis(TrackerSettings.DEFAULT_COMMIT_INTERVAL_MS));
        }
    }

    /**
     * Builds the topology.
     *
     * @param configs the served kmq topics, with distinct topic names
     * @param options the processor settings
     * @param readers creates the readers that fetch messages back by offset
     * @param ticks   creates the tick writers of the tasks
     * @param stats   the counters, with an entry for each served topic
     */
    public static Topology build(List<KmqConfig> configs, Options options, RecordReader.Factory readers,
                                 Ticks.Factory ticks, TrackerStats stats) {
        Topology topology = new Topology();
        MarkerTimestampExtractor timestamps = new MarkerTimestampExtractor();
        for (KmqConfig config : configs) {
            Names names = Names.of(config);
            TopicStats topicStats = stats.topic(config.topic());
            topology.addSource(AutoOffsetReset.earliest(), names.source(), timestamps,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.markersTopic());
            topology.addProcessor(names.processor(),
                    () -> new TrackerProcessor(config, names, options, readers, ticks, topicStats), names.source());
            // cached: an entry changed by several markers within a commit interval (a range, or a START soon
            // followed by its END) is written to RocksDB and the changelog once
            for (String store : List.of(names.inflightStore(), names.rangesStore())) {
                topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store),
                        Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled(), names.processor());
            }
            topology.addSink(names.redeliverySink(), config.topic(), SinkKey.SERIALIZER, SinkKey.VALUE_SERIALIZER,
                    SinkKey.EXACT, names.processor());
            topology.addSink(names.markersSink(), config.markersTopic(), SinkKey.SERIALIZER,
                    SinkKey.VALUE_SERIALIZER, SinkKey.EXACT, names.processor());
            topology.addSink(names.deadLetterSink(), config.deadLetterTopic(), SinkKey.SERIALIZER,
                    SinkKey.VALUE_SERIALIZER, SinkKey.SPREAD, names.processor());
        }
        return topology;
    }
}
