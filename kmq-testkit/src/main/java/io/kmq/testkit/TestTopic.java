package io.kmq.testkit;

/**
 * A topic name unique to one test, so tests sharing a cluster never see each other's records. The topic is not
 * created: call {@link KafkaEnvironment#createTopic(String, int)} or {@code KmqAdmin}.
 *
 * @param name the topic name, made of the test's name and a counter
 */
public record TestTopic(String name) {

    /** A name derived from this one, for a second topic of the same test: {@code <name>-<suffix>}. */
    public String derived(String suffix) {
        return name + "-" + suffix;
    }

    @Override
    public String toString() {
        return name;
    }
}
