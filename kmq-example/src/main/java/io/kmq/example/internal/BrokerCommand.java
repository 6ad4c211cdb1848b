package io.kmq.example.internal;

import io.kmq.testkit.KafkaClusterMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kmq broker}: an in-process Kafka cluster that stays up until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Starts an in-process KRaft Kafka cluster, prints 'bootstrap.servers=<address>' and stays up "
                + "until Ctrl-C or SIGTERM.")
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--brokers", defaultValue = "1", description = "Brokers, 1 to 9 (default: ${DEFAULT-VALUE}); "
            + "with 3 or more, topics get replication factor 3 and min.insync.replicas=2.")
    int brokers;

    @Override
    public Integer call() throws InterruptedException {
        try {
            KafkaClusterMain.serveUntilStopped(brokers);
        } catch (IllegalArgumentException e) {
            System.err.println("error: --brokers: " + e.getMessage());
            return 2;
        }
        return 0;
    }
}
