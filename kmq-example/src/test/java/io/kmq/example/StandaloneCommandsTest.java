package io.kmq.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.testkit.KafkaEnvironment;
import io.kmq.testkit.KafkaTest;
import io.kmq.testkit.TestTopic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code kmq topics} and {@code kmq send} against a real broker: the first steps of running the pieces by hand. */
@KafkaTest
class StandaloneCommandsTest {

    private final KafkaEnvironment kafka;

    StandaloneCommandsTest(KafkaEnvironment kafka) {
        this.kafka = kafka;
    }

    @Test
    void sendingToAMissingTopicIsAOneLineErrorNamingTheTopicsCommand(TestTopic topic) {
        Outcome outcome = run("send", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic.name(),
                "--count", "5");
        assertEquals(1, outcome.code(), outcome.toString());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.toString());
        assertTrue(outcome.err().contains("topic " + topic.name() + " does not exist"), outcome.toString());
        assertTrue(outcome.err().contains("kmq topics"), outcome.toString());
    }

    @Test
    void topicsCreatesTheThreeTopicsOnceAndSendThenWritesToThem(TestTopic topic) throws Exception {
        String[] topics = {"topics", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic.name(),
                "--partitions", "3"};
        Outcome created = run(topics);
        assertEquals(0, created.code(), created.toString());
        Outcome again = run(topics);
        assertEquals(0, again.code(), "existing topics that fit together are accepted: " + again);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, TopicDescription> described = admin.describeTopics(Set.of(topic.name(),
                    topic.name() + "__markers", topic.name() + "__undelivered")).allTopicNames().get();
            described.forEach((name, description) -> assertEquals(3, description.partitions().size(), name));
        }
        Outcome sent = run("send", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic.name(),
                "--count", "5");
        assertEquals(0, sent.code(), sent.toString());
        assertTrue(sent.out().contains("sent=5"), sent.toString());
    }

    @Test
    void topicsRejectsAMarkersTopicWithOtherPartitions(TestTopic topic) {
        kafka.createTopic(topic.name() + "__markers", 2, Map.of("message.timestamp.type", "LogAppendTime"));
        Outcome outcome = run("topics", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic.name(),
                "--partitions", "4");
        assertEquals(1, outcome.code(), outcome.toString());
        assertEquals(1, outcome.err().strip().lines().count(), outcome.toString());
        assertTrue(outcome.err().contains("2 partitions"), outcome.toString());
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = KmqCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private record Outcome(int code, String out, String err) {
    }
}
