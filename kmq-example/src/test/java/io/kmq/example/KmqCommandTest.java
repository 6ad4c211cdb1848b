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
        for (String command : new String[] {"demo", "broker", "send", "process", "tracker", "gateway"}) {
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
}
