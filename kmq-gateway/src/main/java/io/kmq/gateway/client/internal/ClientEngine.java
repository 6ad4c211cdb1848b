package io.kmq.gateway.client.internal;

import io.kmq.gateway.ErrorCode;
import io.kmq.gateway.client.ConnectionListener;
import io.kmq.gateway.client.DeliveryListener;
import io.kmq.gateway.client.GapNotice;
import io.kmq.gateway.client.GatewayClientConfig;
import io.kmq.gateway.client.GatewayException;
import io.kmq.gateway.client.GatewayMessage;
import io.kmq.gateway.client.PublishAck;
import io.kmq.gateway.client.QueueSubscription;
import io.kmq.gateway.client.SubscribeOptions;
import io.kmq.gateway.client.Subscription;
import io.kmq.gateway.client.SubscriptionListener;
import io.kmq.gateway.internal.ClientCommand;
import io.kmq.gateway.internal.Endpoint;
import io.kmq.gateway.internal.JsonCodec;
import io.kmq.gateway.internal.Payload;
import io.kmq.gateway.internal.ServerMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind {@code GatewayClient}. All state lives on one event loop; public methods hand their work
 * to it. Connection cycle:
 * <ol>
 *   <li>connect to the current address; after the {@code welcome} frame, renew every subscription (fan-out ones with
 *       the token after the last record received, so nothing is missed or repeated) and send queued publishes;</li>
 *   <li>when the connection is lost, fail the publishes sent on it with {@link ErrorCode#CONNECTION_LOST} (their
 *       outcome is unknown), forget the queue deliveries it carried (the gateway releases them), and reconnect to the
 *       next address: at once the first time, then with doubling delays (with jitter) up to the maximum.</li>
 * </ol>
 */
public final class ClientEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final GatewayClientConfig config;
    private final ConnectionListener connectionListener;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
    private volatile URI connectedAddress;

    // event loop only
    private final Map<String, FanoutState> fanout = new LinkedHashMap<>();
    private final Map<String, QueueState> queues = new LinkedHashMap<>();
    private final Map<String, PendingRequest> pending = new HashMap<>();
    private final ArrayDeque<PendingRequest> outbox = new ArrayDeque<>();
    private Channel channel;
    private boolean connected;
    private long generation;
    private final Reconnects reconnects;
    private long nextId;
    private boolean closed;

    /** Starts connecting to the first address of {@code config}. */
    public ClientEngine(GatewayClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.connectionListener = config.connectionListener();
        this.reconnects = new Reconnects(config.addresses(), config.reconnectDelay(), config.maxReconnectDelay());
        this.group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("kmq-gateway-client-" + CLIENTS.incrementAndGet(), true),
                NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis());
        loop.execute(this::connect);
    }

    /** Completes when the client is connected for the first time. */
    public CompletableFuture<Void> connected() {
        return firstConnection;
    }

    /** The gateway connected to now, if any. */
    public Optional<URI> connectedAddress() {
        return Optional.ofNullable(connectedAddress);
    }

    /** Subscribes in fan-out mode; see {@code GatewayClient#subscribe}. */
    public CompletableFuture<Subscription> subscribe(Endpoint endpoint, SubscribeOptions options,
                                                     SubscriptionListener listener) {
        FanoutState state = new FanoutState(this, endpoint, options, listener);
        execute(state.started, () -> {
            if (refusedWhenClosed(state.started)) {
                return;
            }
            if (fanout.containsKey(state.text)) {
                state.started.completeExceptionally(new GatewayException(ErrorCode.ALREADY_SUBSCRIBED,
                        "this client is already subscribed to " + state.text));
                return;
            }
            fanout.put(state.text, state);
            if (connected) {
                sendSubscribe(state);
            }
        });
        return state.started;
    }

    /** Subscribes in queue mode; see {@code GatewayClient#subscribeQueue}. */
    public CompletableFuture<QueueSubscription> subscribeQueue(Endpoint endpoint, String group, int prefetch,
                                                               DeliveryListener listener) {
        QueueState state = new QueueState(this, endpoint, group, prefetch, listener);
        execute(state.started, () -> {
            if (refusedWhenClosed(state.started)) {
                return;
            }
            if (queues.containsKey(state.key)) {
                state.started.completeExceptionally(new GatewayException(ErrorCode.ALREADY_SUBSCRIBED,
                        "this client is already subscribed to " + endpoint + " in group " + group));
                return;
            }
            queues.put(state.key, state);
            if (connected) {
                sendQueueSubscribe(state);
            }
        });
        return state.started;
    }

    /** Publishes; see {@code GatewayClient#publish}. */
    public CompletableFuture<PublishAck> publish(Endpoint endpoint, Payload payload) {
        CompletableFuture<PublishAck> result = new CompletableFuture<>();
        execute(result, () -> {
            if (refusedWhenClosed(result)) {
                return;
            }
            if (pending.size() >= config.maxPendingRequests()) {
                result.completeExceptionally(new GatewayException(ErrorCode.TOO_MANY_PENDING_PUBLISHES,
                        "this client has " + pending.size() + " requests waiting (expected: < "
                                + config.maxPendingRequests() + ")"));
                return;
            }
            PendingRequest request = request(id -> new ClientCommand.Publish(id, endpoint, payload), message -> {
                if (message instanceof ServerMessage.PublishAck ack) {
                    result.complete(new PublishAck(ack.endpoint(), ack.partition(), ack.offset(),
                            Instant.ofEpochMilli(ack.timestamp())));
                } else {
                    result.completeExceptionally(unexpected(message));
                }
            }, result::completeExceptionally);
            if (connected) {
                write(request);
            } else {
                outbox.add(request);
            }
        });
        return result;
    }

    /** Closes the connection and stops the I/O thread; requests waiting fail with CONNECTION_LOST. Idempotent. */
    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable shutdown = () -> {
            if (!closed) {
                closed = true;
                failAll(new GatewayException(ErrorCode.CONNECTION_LOST, "the client was closed"));
                if (channel != null && channel.isActive()) {
                    channel.writeAndFlush(new CloseWebSocketFrame(1000, "client closing"))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            }
            done.complete(null);
        };
        if (loop.inEventLoop()) {
            shutdown.run();
            group.shutdownGracefully(0, CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return;
        }
        loop.execute(shutdown);
        done.orTimeout(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
        group.shutdownGracefully(0, CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ------------------------------------------------------------------ connection cycle (event loop)

    private void connect() {
        if (closed || channel != null) {
            return;
        }
        URI address = reconnects.current();
        long current = ++generation;
        int port = address.getPort() > 0 ? address.getPort() : 80;
        ChannelFuture connecting = bootstrap.clone()
                .handler(new ClientChannelInitializer(address, config, this, current))
                .connect(address.getHost(), port);
        channel = connecting.channel();
        connecting.addListener(future -> {
            if (!future.isSuccess()) {
                disconnected(current, "cannot connect: " + future.cause());
            }
        });
    }

    /** A frame of connection {@code of}. */
    void received(long of, ServerMessage message) {
        if (of != generation || closed) {
            return;
        }
        if (message instanceof ServerMessage.Welcome welcome) {
            welcomed(welcome);
        } else if (message instanceof ServerMessage.Message record) {
            FanoutState state = fanout.get(record.subscription());
            if (state != null) {
                state.lastToken = record.token();
                notify(state, record);
            }
        } else if (message instanceof ServerMessage.Delivery delivery) {
            QueueState state = queues.get(QueueState.key(delivery.subscription(), delivery.group()));
            if (state != null) {
                deliver(state, delivery);
            }
        } else if (message instanceof ServerMessage.Gap gap) {
            FanoutState state = fanout.get(gap.subscription());
            if (state != null) {
                state.lastToken = gap.token();
                safely("the listener of " + state.text, () -> state.listener.onGap(new GapNotice(gap.subscription(),
                        gap.missed(), gap.reason(), gap.token())));
            }
        } else {
            answer(message);
        }
    }

    private void welcomed(ServerMessage.Welcome welcome) {
        URI address = reconnects.current();
        connected = true;
        reconnects.connected();
        connectedAddress = address;
        log.info("connected to gateway {} at {}", welcome.gateway(), address);
        fanout.values().forEach(this::sendSubscribe);
        queues.values().forEach(this::sendQueueSubscribe);
        while (!outbox.isEmpty()) {
            PendingRequest request = outbox.poll();
            if (pending.containsKey(request.id)) {
                write(request);
            }
        }
        firstConnection.complete(null);
        safely("the connection listener", () -> connectionListener.connected(address, welcome.gateway()));
    }

    /** Connection {@code of} ended, or could not be made. */
    void disconnected(long of, String reason) {
        if (of != generation || channel == null) {
            return;
        }
        URI address = reconnects.current();
        boolean wasConnected = connected;
        channel = null;
        connected = false;
        connectedAddress = null;
        GatewayException lost = new GatewayException(ErrorCode.CONNECTION_LOST, "the connection to " + address
                + " was lost before the answer (" + reason + "); the outcome is unknown");
        for (PendingRequest request : new ArrayList<>(pending.values())) {
            if (request.sentOn == of) {
                pending.remove(request.id);
                request.failed.accept(lost);
            }
        }
        if (closed) {
            return;
        }
        if (wasConnected) {
            log.info("connection to {} lost: {}", address, reason);
        } else {
            log.debug("connection to {} failed: {}", address, reason);
        }
        safely("the connection listener", () -> connectionListener.disconnected(address, reason));
        loop.schedule(this::connect, reconnects.next(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ subscriptions (event loop)

    private void sendSubscribe(FanoutState state) {
        ClientCommand.From from = state.lastToken == null ? state.from : ClientCommand.From.NEW;
        write(request(id -> new ClientCommand.SubscribeFanout(id, state.endpoint, from, state.lastToken), message -> {
            if (message instanceof ServerMessage.Subscribed subscribed) {
                if (subscribed.token() != null) {
                    state.lastToken = subscribed.token();
                }
                state.started.complete(state);
            } else {
                subscriptionFailed(state, unexpected(message));
            }
        }, error -> subscriptionFailed(state, error)));
    }

    private void subscriptionFailed(FanoutState state, GatewayException error) {
        if (error.code() == ErrorCode.CONNECTION_LOST || fanout.get(state.text) != state) {
            return; // renewed after the reconnect, or unsubscribed meanwhile
        }
        if (error.code() == ErrorCode.UNAVAILABLE && state.started.isDone()) {
            long current = generation; // the gateway's feed stopped: try again on this connection a little later
            loop.schedule(() -> {
                if (connected && generation == current && fanout.get(state.text) == state) {
                    sendSubscribe(state);
                }
            }, config.reconnectDelay().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        fanout.remove(state.text);
        if (!state.started.completeExceptionally(error)) {
            log.warn("subscription to {} ended by the gateway: {}", state.text, error.getMessage());
            safely("the listener of " + state.text, () -> state.listener.onEnd(error));
        }
    }

    private void sendQueueSubscribe(QueueState state) {
        write(request(id -> new ClientCommand.SubscribeQueue(id, state.endpoint, state.group, state.prefetch),
                message -> {
                    if (message instanceof ServerMessage.Subscribed) {
                        state.started.complete(state);
                    } else {
                        queueSubscriptionFailed(state, unexpected(message));
                    }
                }, error -> queueSubscriptionFailed(state, error)));
    }

    private void queueSubscriptionFailed(QueueState state, GatewayException error) {
        if (error.code() == ErrorCode.CONNECTION_LOST || queues.get(state.key) != state) {
            return;
        }
        queues.remove(state.key);
        if (!state.started.completeExceptionally(error)) {
            log.warn("queue subscription to {} group {} ended by the gateway: {}", state.endpoint, state.group,
                    error.getMessage());
        }
    }

    CompletableFuture<Void> unsubscribe(String key, boolean queue, ClientCommand.Unsubscribe command) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        execute(result, () -> {
            Object removed = queue ? queues.remove(key) : fanout.remove(key);
            if (removed == null || !connected) {
                result.complete(null);
                return;
            }
            // either answer means the gateway no longer has the subscription
            write(request(id -> new ClientCommand.Unsubscribe(id, command.endpoint(), command.group()),
                    message -> result.complete(null), error -> result.complete(null)));
        });
        return result;
    }

    private void notify(FanoutState state, ServerMessage.Message record) {
        GatewayMessage message = new GatewayMessage(record.subscription(), record.endpoint(), keyOf(record.endpoint()),
                record.payload().bytes(), Instant.ofEpochMilli(record.timestamp()), record.token(),
                record.conflated());
        safely("the listener of " + state.text, () -> state.listener.onMessage(message));
    }

    private void deliver(QueueState state, ServerMessage.Delivery delivery) {
        QueueDeliveryImpl received = new QueueDeliveryImpl(this, generation, delivery, keyOf(delivery.endpoint()));
        safely("the delivery listener of " + state.endpoint + " group " + state.group, // unacknowledged then
                () -> state.listener.onDelivery(received));
    }

    /** Acknowledges a delivery of connection {@code of}: processed, or released after {@code releaseDelay}. */
    void acknowledge(long of, long tag, Duration releaseDelay) {
        execute(new CompletableFuture<Void>(), () -> {
            if (!connected || of != generation) {
                log.debug("delivery {} of an earlier connection: the gateway released it already", tag);
                return;
            }
            ClientCommand command = releaseDelay == null ? new ClientCommand.Ack(null, tag)
                    : new ClientCommand.Nack(null, tag, releaseDelay);
            channel.writeAndFlush(new TextWebSocketFrame(JsonCodec.encodeCommand(command)));
        });
    }

    private void answer(ServerMessage message) {
        String id = idOf(message);
        PendingRequest request = id == null ? null : pending.remove(id);
        if (request == null) {
            if (message instanceof ServerMessage.ErrorReply error) {
                log.warn("gateway error: {} {}", error.code(), error.message());
            }
            return;
        }
        if (message instanceof ServerMessage.ErrorReply error) {
            request.failed.accept(new GatewayException(error.code(), error.message()));
        } else {
            request.answered.accept(message);
        }
    }

    /** A new request with the next id, waiting for its answer. */
    private PendingRequest request(Function<String, ClientCommand> command, Consumer<ServerMessage> answered,
                                   Consumer<GatewayException> failed) {
        String id = newId();
        PendingRequest request = new PendingRequest(id, command.apply(id), answered, failed);
        pending.put(id, request);
        return request;
    }

    private void write(PendingRequest request) {
        request.sentOn = generation;
        channel.writeAndFlush(new TextWebSocketFrame(JsonCodec.encodeCommand(request.command)));
    }

    private void failAll(GatewayException error) {
        List<PendingRequest> waiting = new ArrayList<>(pending.values());
        pending.clear();
        outbox.clear();
        waiting.forEach(request -> request.failed.accept(error));
        fanout.values().forEach(state -> state.started.completeExceptionally(error));
        queues.values().forEach(state -> state.started.completeExceptionally(error));
        fanout.clear();
        queues.clear();
        firstConnection.completeExceptionally(error);
    }

    /** Runs a user's callback: a failure is logged, the client goes on. */
    private static void safely(String what, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("{} failed", what, e);
        }
    }

    /** Runs {@code task} on the event loop; fails {@code result} if the client is closed (the loop stopped). */
    private void execute(CompletableFuture<?> result, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new GatewayException(ErrorCode.CONNECTION_LOST, "the client is closed"));
        }
    }

    private boolean refusedWhenClosed(CompletableFuture<?> result) {
        if (closed) {
            result.completeExceptionally(new GatewayException(ErrorCode.CONNECTION_LOST, "the client is closed"));
        }
        return closed;
    }

    private String newId() {
        return Long.toString(++nextId);
    }

    private static String idOf(ServerMessage message) {
        if (message instanceof ServerMessage.PublishAck ack) {
            return ack.id();
        } else if (message instanceof ServerMessage.Subscribed subscribed) {
            return subscribed.id();
        } else if (message instanceof ServerMessage.Unsubscribed unsubscribed) {
            return unsubscribed.id();
        } else if (message instanceof ServerMessage.ErrorReply error) {
            return error.id();
        }
        return null;
    }

    private static GatewayException unexpected(ServerMessage message) {
        return new GatewayException(ErrorCode.INTERNAL, "unexpected answer " + message);
    }

    /** The key of a record endpoint {@code /t/k}, null for {@code /t}. */
    static String keyOf(String endpoint) {
        int slash = endpoint.indexOf('/', 1);
        return slash < 0 ? null : endpoint.substring(slash + 1);
    }
}
