package io.kmq.example;

import io.kmq.example.internal.BrokerCommand;
import io.kmq.example.internal.DemoCommand;
import io.kmq.example.internal.ProcessCommand;
import io.kmq.example.internal.SendCommand;
import io.kmq.example.internal.TopicsCommand;
import io.kmq.gateway.GatewayMain;
import io.kmq.redelivery.TrackerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./kmq} command line: the demo and each role of a kmq deployment as its own process. */
@Command(name = "kmq", mixinStandardHelpOptions = true, version = "kmq 0.1.0-SNAPSHOT",
        description = "Selective, per-message acknowledgment for Apache Kafka.",
        subcommands = {DemoCommand.class, BrokerCommand.class, TopicsCommand.class, SendCommand.class,
                ProcessCommand.class})
public final class KmqCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, including {@code tracker} from kmq-redelivery. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new KmqCommand());
        commandLine.addSubcommand("tracker", new TrackerMain());
        commandLine.addSubcommand("gateway", new GatewayMain());
        commandLine.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage()
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
