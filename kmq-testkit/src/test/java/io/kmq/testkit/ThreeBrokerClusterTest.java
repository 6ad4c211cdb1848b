package io.kmq.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

@KafkaTest(brokers = 3)
class ThreeBrokerClusterTest {

    @Test
    void keepsAcceptingAcksAllWritesWhileOneBrokerIsDownAndAfterItReturns(KafkaCluster cluster, TestTopic topic)
            throws Exception {
        assertEquals(3, cluster.brokerCount());
        assertEquals(3, cluster.defaultReplicationFactor());
        cluster.createTopic(topic.name(), 3);
        try (KafkaProducer<String, String> producer = KafkaClusterTest.Clients.producer(cluster)) {
            sendAll(producer, topic.name(), 0, 300);
            cluster.stopBroker(2);
            sendAll(producer, topic.name(), 300, 300);
            cluster.restartBroker(2);
            sendAll(producer, topic.name(), 600, 300);
        }
        assertEquals(900, KafkaClusterTest.Clients.consumeValues(cluster, topic.name(), 900).size());
    }

    private static void sendAll(KafkaProducer<String, String> producer, String topic, int from, int count)
            throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            sends.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
    }
}
