package io.kmq;

import static io.kmq.KafkaTestSupport.POLL;
import static io.kmq.KafkaTestSupport.config;
import static io.kmq.KafkaTestSupport.createTopics;
import static io.kmq.KafkaTestSupport.pollAtLeast;
import static io.kmq.KafkaTestSupport.produce;
import static io.kmq.KafkaTestSupport.readMarkers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.KafkaTestSupport.ReadMarker;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

@KafkaTest
class KmqClientTest {

    private static final int PARTITIONS = 3;

    private static KmqClient<String, String> client(KmqConfig config) {
        return new KmqClient<>(config, new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void everyRecordGetsOneStartAndOneEndInTheMarkersPartitionOfItsPartition(KafkaEnvironment kafka, TestTopic topic) {
        KmqConfig config = config(kafka, topic).messageTimeout(Duration.ofSeconds(45)).build();
        createTopics(config, PARTITIONS);
        produce(kafka, topic.name(), PARTITIONS, 30);

        List<ConsumerRecord<String, String>> received;
        try (KmqClient<String, String> client = client(config)) {
            received = pollAtLeast(client, 30);
            received.forEach(client::processed);
        }

        assertEquals(30, received.size());
        assertEquals(30, received.stream().map(ConsumerRecord::value).distinct().count());
        List<ReadMarker> markers = readMarkers(kafka, config.markersTopic(), PARTITIONS, 60);
        assertEquals(60, markers.size());
        Map<MarkerKey, List<ReadMarker>> byKey = markers.stream().collect(Collectors.groupingBy(ReadMarker::key));
        for (ConsumerRecord<String, String> record : received) {
            List<ReadMarker> ofRecord = byKey.get(new MarkerKey(record.partition(), record.offset()));
            assertEquals(List.of(new Marker.Start(Duration.ofSeconds(45)), new Marker.End()),
                    ofRecord.stream().map(ReadMarker::marker).toList(), "markers of " + record);
            ofRecord.forEach(marker -> assertEquals(record.partition(), marker.markersPartition()));
            ofRecord.forEach(marker -> assertEquals(TimestampType.LOG_APPEND_TIME, marker.timestampType()));
        }
    }
}
