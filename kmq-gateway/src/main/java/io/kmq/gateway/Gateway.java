package io.kmq.gateway;

import io.kmq.gateway.internal.Closing;
import io.kmq.gateway.internal.GatewayInitializer;
import io.kmq.gateway.internal.GatewayServices;
import io.kmq.gateway.internal.KafkaClients;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running WebSocket gateway on Kafka: fan-out subscriptions with last value and resume, publishing, and kmq queue
 * delivery, speaking the protocol of {@code docs/protocol.md}. Instances keep no state but caches, so several can run
 * side by side and clients fail over between them. Start with {@link #start(GatewayConfig)}, stop with
 * {@link #close()}.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final GatewayServices services;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private volatile boolean closed;

    private Gateway(GatewayConfig config, GatewayServices services, EventLoopGroup acceptor, EventLoopGroup workers,
                    Channel serverChannel) {
        this.config = config;
        this.services = services;
        this.acceptor = acceptor;
        this.workers = workers;
        this.serverChannel = serverChannel;
    }

    /**
     * Starts a gateway: creates its Kafka clients and binds its listener.
     *
     * @throws IllegalStateException if the listener cannot bind (what was started is stopped again)
     */
    public static Gateway start(GatewayConfig config) {
        return start(config, new KafkaClients(config));
    }

    /** Starts a gateway whose Kafka clients come from {@code clients}; for tests. */
    static Gateway start(GatewayConfig config, KafkaClients clients) {
        Objects.requireNonNull(config, "config");
        GatewayServices services = new GatewayServices(config, clients);
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("kmq-gateway-" + config.gatewayId() + "-accept", true),
                NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory("kmq-gateway-" + config.gatewayId() + "-io", true),
                NioIoHandler.newFactory());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                            config.outboundBufferBytes() / 4, config.outboundBufferBytes() / 2))
                    .childHandler(new GatewayInitializer(services));
            if (config.socketSendBufferBytes() > 0) {
                bootstrap.childOption(ChannelOption.SO_SNDBUF, config.socketSendBufferBytes());
            }
            Channel serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
            Gateway gateway = new Gateway(config, services, acceptor, workers, serverChannel);
            log.info("kmq gateway {} listening on {} (Kafka {})", config.gatewayId(), gateway.uri(),
                    config.bootstrapServers());
            return gateway;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IllegalStateException failure = new IllegalStateException("interrupted while binding", e);
            stopAll(failure, services, acceptor, workers);
            throw failure;
        } catch (RuntimeException e) {
            IllegalStateException failure = new IllegalStateException("cannot listen on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage(), e);
            stopAll(failure, services, acceptor, workers);
            throw failure;
        }
    }

    /** The port the listener is bound to (the chosen one when configured with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The WebSocket address of this gateway, with the loopback address when bound to every address. */
    public URI uri() {
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        InetAddress address = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress()
                : bound.getAddress();
        String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return URI.create("ws://" + host + ":" + bound.getPort() + config.path());
    }

    /** The settings this gateway runs with. */
    public GatewayConfig config() {
        return config;
    }

    /** A snapshot of this gateway's counters. */
    public GatewayMetrics metrics() {
        return services.metrics();
    }

    /**
     * Stops the gateway: no new connections; open ones are closed with {@link GatewayProtocol#CLOSE_GOING_AWAY} (their
     * clients fail over and resume elsewhere); queue groups release the records they hold; pending publishes are
     * produced; then the Kafka clients and threads stop. A second call does nothing.
     *
     * @throws RuntimeException the first failure of a step, the others suppressed, after every step ran
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("kmq gateway {} stopping", config.gatewayId());
        RuntimeException failure = Closing.run(null, () -> serverChannel.close().syncUninterruptibly());
        failure = Closing.run(failure, () -> services.channels()
                .writeAndFlush(new CloseWebSocketFrame(GatewayProtocol.CLOSE_GOING_AWAY, "gateway shutting down"))
                .awaitUninterruptibly(5, TimeUnit.SECONDS));
        failure = Closing.run(failure, () -> services.channels().close().awaitUninterruptibly(5, TimeUnit.SECONDS));
        stopAll(failure, services, acceptor, workers);
        if (failure != null) {
            throw failure;
        }
        log.info("kmq gateway {} stopped", config.gatewayId());
    }

    private static void stopAll(RuntimeException earlier, GatewayServices services, EventLoopGroup acceptor,
                                EventLoopGroup workers) {
        RuntimeException failure = Closing.run(earlier, services::close);
        failure = Closing.run(failure, () -> acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS)
                .syncUninterruptibly());
        failure = Closing.run(failure, () -> workers.shutdownGracefully(0, 2, TimeUnit.SECONDS)
                .syncUninterruptibly());
        if (failure != null && failure != earlier) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Gateway{" + config.gatewayId() + " at " + uri() + "}";
    }
}
