package io.kmq.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KmqCommandTest {

    @Test
    void helpListsEveryCommand() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = KmqCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertEquals(0, commandLine.execute("--help"));
        for (String command : new String[] {"demo", "broker", "topics", "send", "process", "tracker", "gateway"}) {
            assertTrue(out.toString().contains(command), command + " missing from:\n" + out);
        }
    }

    @Test
    void aBadFlagIsAOneLineErrorWithExitCodeTwo() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = KmqCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));
        assertEquals(2, commandLine.execute("demo", "--messages", "many"));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("--messages"), err.toString());
    }

    @Test
    void theTrackerSubcommandReportsAConfigErrorOnTheCommandLinesStream() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = KmqCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute("tracker", "--bootstrap-servers", "localhost:1", "--topic", "t", "--group", "g",
                "--config", "/nonexistent/kmq.properties");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("kmq.properties"), err.toString());
    }

    @Test
    void theTrackerCommandFindsItsMetricsRegistryOnTheClassPath() throws ClassNotFoundException {
        // the sidecar serves /metrics with Micrometer's Prometheus registry, optional in kmq-redelivery
        Class.forName("io.micrometer.prometheusmetrics.PrometheusMeterRegistry");
    }
}
