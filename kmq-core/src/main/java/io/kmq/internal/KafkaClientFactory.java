package io.kmq.internal;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Creates the Kafka clients kmq uses, so that tests can substitute mock or failing clients. The properties passed in
 * are complete (built by {@link ClientProperties}); a factory must not change them.
 */
public interface KafkaClientFactory {

    /** The factory of real Kafka clients. */
    KafkaClientFactory DEFAULT = new KafkaClientFactory() {
        @Override
        public <K, V> Consumer<K, V> consumer(Map<String, Object> properties, Deserializer<K> keyDeserializer,
                                              Deserializer<V> valueDeserializer) {
            return new KafkaConsumer<>(properties, keyDeserializer, valueDeserializer);
        }

        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> properties) {
            return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Admin admin(Map<String, Object> properties) {
            return Admin.create(properties);
        }
    };

    /** A consumer of the message topic. */
    <K, V> Consumer<K, V> consumer(Map<String, Object> properties, Deserializer<K> keyDeserializer,
                                   Deserializer<V> valueDeserializer);

    /** A producer of markers. */
    Producer<byte[], byte[]> producer(Map<String, Object> properties);

    /** An admin client. */
    Admin admin(Map<String, Object> properties);
}
