package io.kmq.gateway;

import io.kmq.internal.DurationConverter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The gateway as a process: {@code java -jar kmq-gateway.jar --bootstrap-servers host:9092 --port 8080}. Prints one
 * line {@code kmq gateway <id> listening on ws://...} when it serves, and stops cleanly on SIGTERM. Usable as the
 * {@code gateway} subcommand of another picocli command.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, version = "kmq-gateway 0.1.0-SNAPSHOT",
        description = "Runs the kmq WebSocket gateway: fan-out with last value and resume, publish, kmq queues.")
public final class GatewayMain implements Callable<Integer> {

    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
    private String bootstrapServers;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--path", defaultValue = GatewayProtocol.DEFAULT_PATH,
            description = "WebSocket path (default: ${DEFAULT-VALUE}).")
    private String path;

    @Option(names = "--gateway-id", description = "Name of this gateway (default: gw- and random digits).")
    private String gatewayId;

    @Option(names = "--max-frame-bytes", defaultValue = "65536",
            description = "Largest inbound frame (default: ${DEFAULT-VALUE}).")
    private int maxFrameBytes;

    @Option(names = "--outbound-buffer-bytes", defaultValue = "1048576",
            description = "Outbound buffer cap per connection (default: ${DEFAULT-VALUE}).")
    private int outboundBufferBytes;

    @Option(names = "--slow-consumer", defaultValue = "DISCONNECT",
            description = "Fan-out slow-consumer policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private SlowConsumerPolicy slowConsumerPolicy;

    @Option(names = "--history-records", defaultValue = "1000",
            description = "History records per partition (default: ${DEFAULT-VALUE}).")
    private int historyRecords;

    @Option(names = "--last-value-keys", defaultValue = "100000",
            description = "Keys with a last value per topic (default: ${DEFAULT-VALUE}).")
    private int lastValueKeys;

    @Option(names = "--queue-message-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "kmq message timeout of queue groups, e.g. 30s (default: ${DEFAULT-VALUE}).")
    private Duration queueMessageTimeout;

    @Option(names = "--kafka-property", description = "Extra Kafka client property key=value (repeatable).")
    private Map<String, String> kafkaProperties = new LinkedHashMap<>();

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
            System.setProperty(LOGBACK_CONFIGURATION, "kmq-gateway-logback.xml");
        }
        System.exit(new CommandLine(new GatewayMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig.Builder builder = GatewayConfig.builder()
                .bootstrapServers(bootstrapServers)
                .host(host)
                .port(port)
                .path(path)
                .maxFrameBytes(maxFrameBytes)
                .outboundBufferBytes(outboundBufferBytes)
                .slowConsumerPolicy(slowConsumerPolicy)
                .historyRecordsPerPartition(historyRecords)
                .lastValueMaxKeys(lastValueKeys)
                .queueMessageTimeout(queueMessageTimeout);
        if (gatewayId != null) {
            builder.gatewayId(gatewayId);
        }
        kafkaProperties.forEach(builder::kafkaProperty);
        GatewayConfig config = builder.build();
        Gateway gateway = Gateway.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
            } finally {
                stopped.countDown();
            }
        }, "kmq-gateway-shutdown"));
        System.out.println("kmq gateway " + config.gatewayId() + " listening on " + gateway.uri());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
