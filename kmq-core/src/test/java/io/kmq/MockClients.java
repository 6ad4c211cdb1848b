package io.kmq;

import io.kmq.internal.KafkaClientFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A client factory handing out one mock consumer and one producer that fails the sends a test chooses, and completes
 * the others at once or when the test says.
 */
final class MockClients implements KafkaClientFactory {

    final MockConsumer<String, String> consumer;
    final FailingProducer producer;

    MockClients(MockConsumer<String, String> consumer) {
        this(consumer, true);
    }

    /** @param autoComplete whether sends complete at once; if false, the test completes them ({@code completeNext}) */
    MockClients(MockConsumer<String, String> consumer, boolean autoComplete) {
        this.consumer = consumer;
        this.producer = new FailingProducer(autoComplete);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Consumer<K, V> consumer(Map<String, Object> properties, Deserializer<K> keyDeserializer,
                                          Deserializer<V> valueDeserializer) {
        return (Consumer<K, V>) consumer;
    }

    @Override
    public FailingProducer producer(Map<String, Object> properties) {
        return producer;
    }

    @Override
    public Admin admin(Map<String, Object> properties) {
        throw new UnsupportedOperationException("mock clients are used with topic validation off");
    }

    /** Completes sends at once; sends matching {@link #failWhen} fail with {@link #failure}. */
    static final class FailingProducer extends MockProducer<byte[], byte[]> {
        volatile Predicate<ProducerRecord<byte[], byte[]>> failWhen = record -> false;
        volatile RuntimeException failure = new org.apache.kafka.common.errors.TimeoutException("injected");
        volatile RuntimeException closeFailure;

        FailingProducer() {
            this(true);
        }

        FailingProducer(boolean autoComplete) {
            super(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (failWhen.test(record)) {
                if (callback != null) {
                    callback.onCompletion(null, failure);
                }
                return CompletableFuture.failedFuture(failure);
            }
            return super.send(record, callback);
        }

        @Override
        public void close(java.time.Duration timeout) {
            super.close(timeout);
            if (closeFailure != null) {
                throw closeFailure;
            }
        }
    }
}
