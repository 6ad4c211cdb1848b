package io.kmq.gateway;

import static io.kmq.gateway.GatewaySupport.PATIENCE;
import static io.kmq.gateway.GatewaySupport.client;
import static io.kmq.gateway.GatewaySupport.config;
import static io.kmq.gateway.GatewaySupport.produce;
import static io.kmq.gateway.GatewaySupport.values;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.gateway.client.GatewayClient;
import io.kmq.gateway.client.GatewayException;
import io.kmq.gateway.client.GatewayMessage;
import io.kmq.gateway.client.PublishAck;
import io.kmq.gateway.client.SubscribeOptions;
import io.kmq.gateway.client.Subscription;
import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Fan-out mode end to end: a real broker, a real gateway on loopback, the Java client. */
@KafkaTest
class FanoutTest {

    @Test
    void publishProducesTheRecordWithTopicKeyAndValueOnceKafkaAcknowledged(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        kafka.createTopic(topic.name(), 3);
        try (Gateway gateway = Gateway.start(config(kafka).build()); GatewayClient client = client(gateway)) {
            PublishAck ack = client.publish("/" + topic + "/EURUSD", "1.0842").get(60, TimeUnit.SECONDS);
            ConsumerRecord<String, String> record = read(kafka, new TopicPartition(topic.name(), ack.partition()),
                    ack.offset());
            assertEquals(topic.name(), record.topic());
            assertEquals("EURUSD", record.key());
            assertEquals("1.0842", record.value());
            assertEquals(ack.timestamp().toEpochMilli(), record.timestamp());

            PublishAck keyless = client.publish("/" + topic, new byte[]{1, 2}).get(60, TimeUnit.SECONDS);
            ConsumerRecord<String, String> withoutKey = read(kafka,
                    new TopicPartition(topic.name(), keyless.partition()), keyless.offset());
            assertEquals(null, withoutKey.key());

            CompletionException unknown = assertThrows(CompletionException.class,
                    () -> client.publish("/" + topic + "-missing/k", "v").join());
            assertEquals(ErrorCode.UNKNOWN_TOPIC, ((GatewayException) unknown.getCause()).code());
            assertEquals(2, gateway.metrics().publishesAcknowledged());
        }
    }

    @Test
    void aRecordReachesTheSubscribersOfItsKeyAndOfAllKeysOnly(KafkaEnvironment kafka, TestTopic topic) {
        kafka.createTopic(topic.name(), 3);
        try (Gateway gateway = Gateway.start(config(kafka).build());
             GatewayClient a = client(gateway); GatewayClient b = client(gateway); GatewayClient c = client(gateway);
             KafkaProducer<String, String> producer = GatewaySupport.producer(kafka)) {
            Received ofK1 = new Received();
            Received ofAll = new Received();
            Received ofK2 = new Received();
            a.subscribe("/" + topic + "/k1", ofK1).join();
            b.subscribe("/" + topic + "/*", ofAll).join();
            c.subscribe("/" + topic + "/k2", ofK2).join();

            produce(producer, topic.name(), List.of(new String[]{"k1", "one"}, new String[]{"k3", "three"},
                    new String[]{"k2", "two"}, new String[]{null, "keyless"}));

            await().atMost(PATIENCE).until(() -> ofAll.size() == 4 && ofK1.size() == 1 && ofK2.size() == 1);
            assertEquals(List.of("one"), ofK1.payloads());
            assertEquals(List.of("two"), ofK2.payloads());
            assertEquals(List.of("one", "three", "two", "keyless").stream().sorted().toList(),
                    ofAll.payloads().stream().sorted().toList());
            GatewayMessage one = ofK1.messages.get(0);
            assertEquals("/" + topic + "/k1", one.endpoint());
            assertEquals("/" + topic + "/k1", one.subscription());
            assertEquals("k1", one.key());
            GatewayMessage keyless = ofAll.messages.stream().filter(m -> m.key() == null).findFirst().orElseThrow();
            assertEquals("/" + topic, keyless.endpoint());
            assertEquals("/" + topic + "/*", keyless.subscription());
        }
    }

    @Test
    void subscribersAskingForTheLastValueGetItFirst(KafkaEnvironment kafka, TestTopic topic) {
        kafka.createTopic(topic.name(), 2);
        try (Gateway gateway = Gateway.start(config(kafka).build()); GatewayClient client = client(gateway);
             KafkaProducer<String, String> producer = GatewaySupport.producer(kafka)) {
            produce(producer, topic.name(), List.of(new String[]{"EURUSD", "1.01"}, new String[]{"EURUSD", "1.02"},
                    new String[]{"GBPUSD", "1.25"}));
            Received last = new Received();
            client.subscribe("/" + topic + "/EURUSD", SubscribeOptions.fromLast(), last).join();
            Received fresh = new Received();
            client.subscribe("/" + topic + "/GBPUSD", SubscribeOptions.fromNew(), fresh).join();
            Received all = new Received();
            client.subscribe("/" + topic + "/*", SubscribeOptions.fromLast(), all).join();

            await().atMost(PATIENCE).until(() -> last.size() == 1 && all.size() == 2);
            assertEquals(List.of("1.02"), last.payloads());
            assertEquals(List.of("1.02", "1.25"), all.payloads().stream().sorted().toList());

            client.publish("/" + topic + "/EURUSD", "1.03").join();
            client.publish("/" + topic + "/GBPUSD", "1.26").join();
            await().atMost(PATIENCE).until(() -> last.size() == 2 && fresh.size() == 1 && all.size() == 4);
            assertEquals(List.of("1.02", "1.03"), last.payloads());
            assertEquals(List.of("1.26"), fresh.payloads());
        }
    }

    @Test
    void aClientResumingWithItsTokenGetsExactlyTheMissedRecordsInOrder(KafkaEnvironment kafka, TestTopic topic) {
        resume(kafka, topic, config(kafka).build(), false);
    }

    @Test
    void aResumeOlderThanTheHistoryReadsKafka(KafkaEnvironment kafka, TestTopic topic) {
        resume(kafka, topic, config(kafka).historyRecordsPerPartition(5).build(), true);
    }

    private static void resume(KafkaEnvironment kafka, TestTopic topic, GatewayConfig config, boolean fromKafka) {
        kafka.createTopic(topic.name(), 3);
        String endpoint = "/" + topic + "/k";
        try (Gateway gateway = Gateway.start(config); KafkaProducer<String, String> producer =
                GatewaySupport.producer(kafka)) {
            String token;
            try (GatewayClient first = client(gateway)) {
                Received before = new Received();
                Subscription subscription = first.subscribe(endpoint, before).join();
                produce(producer, topic.name(), values("k", "v", 0, 10));
                await().atMost(PATIENCE).until(() -> before.size() == 10);
                assertEquals(before.last().token(), subscription.lastToken());
                token = subscription.lastToken();
            }
            List<String[]> missed = new ArrayList<>();
            for (int i = 10; i < 110; i++) {
                missed.add(new String[]{"k", "v" + i});
                missed.add(new String[]{"other-" + (i % 7), "x" + i}); // other keys, on every partition
            }
            try (GatewayClient watcher = client(gateway)) {
                // the resume below must find the gateway past the missed records, or it would resume from a
                // history that still holds the token however small it is configured
                Received watched = new Received();
                watcher.subscribe(endpoint, watched).join();
                produce(producer, topic.name(), missed);
                await().atMost(PATIENCE).until(() -> watched.size() >= 100);
            }

            try (GatewayClient second = client(gateway)) {
                Received after = new Received();
                second.subscribe(endpoint, SubscribeOptions.resumeFrom(token), after).join();
                await().atMost(PATIENCE).until(() -> after.size() >= 100);
                produce(producer, topic.name(), values("k", "v", 110, 1));
                await().atMost(PATIENCE).until(() -> after.size() >= 101);
                assertEquals(IntStream.range(10, 111).mapToObj(i -> "v" + i).toList(), after.payloads());
                assertTrue(after.gaps.isEmpty());
            }
            GatewayMetrics metrics = gateway.metrics();
            assertEquals(fromKafka ? 1 : 0, metrics.resumesFromKafka(), metrics::toString);
            assertEquals(fromKafka ? 0 : 1, metrics.resumesFromHistory(), metrics::toString);
        }
    }

    @Test
    void aResumeAfterRetentionDeletedRecordsIsToldWhatWasLost(KafkaEnvironment kafka, TestTopic topic)
            throws Exception {
        kafka.createTopic(topic.name(), 1);
        String endpoint = "/" + topic + "/*";
        try (Gateway gateway = Gateway.start(config(kafka).historyRecordsPerPartition(0).build());
             KafkaProducer<String, String> producer = GatewaySupport.producer(kafka)) {
            String token;
            try (GatewayClient first = client(gateway)) {
                Received before = new Received();
                Subscription subscription = first.subscribe(endpoint, before).join();
                produce(producer, topic.name(), values("k", "v", 0, 10));
                await().atMost(PATIENCE).until(() -> before.size() == 10);
                token = subscription.lastToken();
            }
            produce(producer, topic.name(), values("k", "v", 10, 40));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                admin.deleteRecords(Map.of(new TopicPartition(topic.name(), 0), RecordsToDelete.beforeOffset(30)))
                        .all().get(60, TimeUnit.SECONDS);
            }
            try (GatewayClient second = client(gateway)) {
                Received after = new Received();
                second.subscribe(endpoint, SubscribeOptions.resumeFrom(token), after).join();
                await().atMost(PATIENCE).until(() -> after.size() >= 20);
                assertEquals(1, after.gaps.size());
                assertEquals(20, after.gaps.get(0).missed());
                assertEquals("RETENTION", after.gaps.get(0).reason());
                assertEquals(IntStream.range(30, 50).mapToObj(i -> "v" + i).toList(), after.payloads());
            }
        }
    }

    @Test
    void subscribingToAMissingTopicOrWithAForeignTokenIsRefused(KafkaEnvironment kafka, TestTopic topic) {
        kafka.createTopic(topic.name(), 1);
        try (Gateway gateway = Gateway.start(config(kafka).build()); GatewayClient client = client(gateway)) {
            CompletionException missing = assertThrows(CompletionException.class,
                    () -> client.subscribe("/" + topic + "-missing/k", m -> { }).join());
            assertEquals(ErrorCode.UNKNOWN_TOPIC, ((GatewayException) missing.getCause()).code());
            String foreign = io.kmq.gateway.internal.ResumeToken.of("elsewhere", new long[]{0}).encode();
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> client.subscribe("/" + topic + "/k", SubscribeOptions.resumeFrom(foreign), m -> { }).join());
            assertEquals(ErrorCode.INVALID_TOKEN, ((GatewayException) refused.getCause()).code());
        }
    }

    @Test
    void anIdleFeedStopsAndStartsAgainOnTheNextSubscription(KafkaEnvironment kafka, TestTopic topic) {
        kafka.createTopic(topic.name(), 1);
        try (Gateway gateway = Gateway.start(config(kafka).feedIdleTimeout(Duration.ofMillis(200)).build());
             GatewayClient client = client(gateway)) {
            Received first = new Received();
            Subscription subscription = client.subscribe("/" + topic + "/k", first).join();
            assertEquals(1, gateway.metrics().feeds());
            client.publish("/" + topic + "/k", "a").join();
            await().atMost(PATIENCE).until(() -> first.size() == 1);
            subscription.unsubscribe().join();
            await().atMost(PATIENCE).until(() -> gateway.metrics().feeds() == 0);

            Received second = new Received();
            client.subscribe("/" + topic + "/k", SubscribeOptions.fromLast(), second).join();
            client.publish("/" + topic + "/k", "b").join();
            await().atMost(PATIENCE).until(() -> second.size() == 2);
            assertEquals(List.of("a", "b"), second.payloads());
        }
    }

    private static ConsumerRecord<String, String> read(KafkaEnvironment kafka, TopicPartition partition, long offset) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no record at " + partition + " offset " + offset);
    }
}
