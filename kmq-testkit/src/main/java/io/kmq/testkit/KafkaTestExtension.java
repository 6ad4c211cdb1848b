package io.kmq.testkit;

import io.kmq.testkit.internal.AdminBackedEnvironment;
import io.kmq.testkit.internal.ContainerKafka;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The JUnit 5 extension behind {@link KafkaTest}: one cluster per test class, one fresh topic name per test. */
public final class KafkaTestExtension implements BeforeAllCallback, ParameterResolver {

    /** Environment variable naming an external cluster to use instead of an in-process one. */
    public static final String BOOTSTRAP_ENV = "KMQ_BOOTSTRAP_SERVERS";
    /** Environment variable choosing the cluster kind: {@code inprocess} (default) or {@code testcontainers}. */
    public static final String KIND_ENV = "KMQ_TEST_KAFKA";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaTestExtension.class);
    private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) {
        environment(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaEnvironment.class || type == KafkaCluster.class || type == TestTopic.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        if (type == TestTopic.class) {
            String test = extension.getTestMethod().map(m -> m.getName()).orElse(extension.getDisplayName());
            String name = ("t-" + test.replaceAll("[^a-zA-Z0-9]", "") + "-" + TOPIC_COUNTER.incrementAndGet())
                    .toLowerCase(Locale.ROOT);
            return new TestTopic(name.length() > 200 ? name.substring(0, 200) : name);
        }
        KafkaEnvironment environment = environment(extension);
        if (type == KafkaCluster.class) {
            Assumptions.assumeTrue(environment instanceof KafkaCluster,
                    "this test stops and restarts brokers: it needs the in-process cluster");
            return environment;
        }
        if (type == KafkaEnvironment.class) {
            return environment;
        }
        throw new ParameterResolutionException("cannot resolve " + type);
    }

    private static KafkaEnvironment environment(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("kafka",
                key -> start(classContext), KafkaEnvironment.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static KafkaEnvironment start(ExtensionContext classContext) {
        int brokers = classContext.getRequiredTestClass().isAnnotationPresent(KafkaTest.class)
                ? classContext.getRequiredTestClass().getAnnotation(KafkaTest.class).brokers() : 1;
        Optional<String> external = setting(BOOTSTRAP_ENV, "kmq.bootstrap.servers");
        if (external.isPresent()) {
            return new AdminBackedEnvironment(external.get(), null);
        }
        if ("testcontainers".equalsIgnoreCase(setting(KIND_ENV, "kmq.test.kafka").orElse("inprocess"))) {
            Optional<KafkaEnvironment> container = ContainerKafka.startIfDockerAvailable();
            Assumptions.assumeTrue(container.isPresent(), "KMQ_TEST_KAFKA=testcontainers but no Docker daemon answers");
            return container.get();
        }
        return KafkaCluster.start(brokers);
    }

    private static Optional<String> setting(String environmentVariable, String systemProperty) {
        String value = System.getProperty(systemProperty, System.getenv(environmentVariable));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
