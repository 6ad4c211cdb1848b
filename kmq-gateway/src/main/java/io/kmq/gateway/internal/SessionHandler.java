package io.kmq.gateway.internal;

import io.kmq.gateway.ErrorCode;
import io.kmq.gateway.GatewayConfig;
import io.kmq.gateway.GatewayProtocol;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one connection and its requests: subscriptions, queue memberships, pending publishes and the outbound
 * buffer every answer and record goes through. Runs on the connection's event loop; a refused request is answered with
 * an {@code error} frame and the connection goes on. When the connection closes, its subscriptions end and the records
 * its queue memberships held go to other members.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final GatewayServices services;
    private final GatewayConfig config;
    private final Map<String, FanoutSubscription> fanout = new HashMap<>();
    private final Map<QueueKey, QueueMember> queue = new HashMap<>();
    private final AtomicLong tags = new AtomicLong();
    private final AtomicInteger pendingPublishes = new AtomicInteger();
    private ChannelHandlerContext ctx;
    private Outbound outbound;

    /** The session of a new connection, using the gateway's {@code services}. */
    public SessionHandler(GatewayServices services) {
        this.services = Objects.requireNonNull(services, "services");
        this.config = services.config();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.outbound = new Outbound(context.channel(), config.outboundBufferBytes(), config.slowConsumerPolicy(),
                services.stats());
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        services.stats().connections.incrementAndGet();
        super.channelActive(context);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            outbound.offer(new ServerMessage.Welcome(GatewayProtocol.VERSION, config.gatewayId(),
                    config.maxFrameBytes()));
        }
        super.userEventTriggered(context, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (message instanceof ClientCommand command) {
            try {
                handle(command);
            } catch (ProtocolException e) {
                outbound.offer(e.withRequestId(command.id()).toMessage());
            }
        } else if (message instanceof ProtocolException refused) {
            outbound.offer(refused.toMessage());
        } else {
            ReferenceCountUtil.release(message); // nothing else reaches a session
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
        outbound.drain();
        super.channelWritabilityChanged(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        services.stats().connections.decrementAndGet();
        outbound.close();
        fanout.values().forEach(services.fanout()::unsubscribe);
        fanout.clear();
        queue.values().forEach(services.queues()::leave);
        queue.clear();
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            close(GatewayProtocol.CLOSE_MESSAGE_TOO_BIG, "message too big (expected: <= " + config.maxFrameBytes()
                    + " bytes)");
        } else if (cause instanceof CorruptedFrameException) {
            log.debug("connection {}: invalid WebSocket frame: {}", context.channel().remoteAddress(), cause.toString());
            context.close(); // the WebSocket layer has sent its close frame already
        } else if (cause instanceof IOException) {
            log.debug("connection {}: {}", context.channel().remoteAddress(), cause.toString());
            context.close();
        } else {
            log.warn("connection {} failed; closing it", context.channel().remoteAddress(), cause);
            close(GatewayProtocol.CLOSE_INTERNAL_ERROR, "internal error");
        }
    }

    private void close(int code, String reason) {
        outbound.close();
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    private void handle(ClientCommand command) {
        if (command instanceof ClientCommand.SubscribeFanout subscribe) {
            subscribeFanout(subscribe);
        } else if (command instanceof ClientCommand.SubscribeQueue subscribe) {
            subscribeQueue(subscribe);
        } else if (command instanceof ClientCommand.Unsubscribe unsubscribe) {
            unsubscribe(unsubscribe);
        } else if (command instanceof ClientCommand.Publish publish) {
            publish(publish);
        } else if (command instanceof ClientCommand.Ack ack) {
            acknowledge(ack.tag(), null);
        } else if (command instanceof ClientCommand.Nack nack) {
            acknowledge(nack.tag(), nack.delay());
        }
    }

    private void subscribeFanout(ClientCommand.SubscribeFanout command) {
        String endpoint = command.endpoint().toString();
        if (fanout.containsKey(endpoint)) {
            throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + endpoint);
        }
        checkSubscriptionLimit();
        FanoutSubscription subscription = new FanoutSubscription(command.endpoint(), command.id(), outbound,
                failed -> ctx.executor().execute(() -> fanout.remove(endpoint, failed)));
        fanout.put(endpoint, subscription);
        services.fanout().subscribe(subscription, command);
    }

    private void subscribeQueue(ClientCommand.SubscribeQueue command) {
        QueueKey key = new QueueKey(command.endpoint().toString(), command.group());
        if (queue.containsKey(key)) {
            throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + key.endpoint
                    + " in group " + key.group);
        }
        if (command.prefetch() > config.maxPrefetch()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "prefetch : " + command.prefetch() + " (expected: 1.."
                    + config.maxPrefetch() + ")");
        }
        checkSubscriptionLimit();
        QueueMember member = new QueueMember(command.endpoint(), command.group(), command.prefetch(), command.id(),
                outbound, tags, failed -> ctx.executor().execute(() -> queue.remove(key, failed)));
        queue.put(key, member);
        services.catalog().partitions(command.endpoint().topic()).whenComplete((partitions, error) -> {
            if (error != null) {
                member.fail(FanoutService.asProtocolException(error));
            } else {
                services.queues().join(member);
            }
        });
    }

    private void unsubscribe(ClientCommand.Unsubscribe command) {
        String endpoint = command.endpoint().toString();
        if (command.group() == null) {
            FanoutSubscription subscription = fanout.remove(endpoint);
            if (subscription == null) {
                throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, "not subscribed to " + endpoint);
            }
            services.fanout().unsubscribe(subscription);
        } else {
            QueueMember member = queue.remove(new QueueKey(endpoint, command.group()));
            if (member == null) {
                throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, "not subscribed to " + endpoint + " in group "
                        + command.group());
            }
            services.queues().leave(member);
        }
        outbound.offer(new ServerMessage.Unsubscribed(command.id(), endpoint, command.group()));
    }

    private void publish(ClientCommand.Publish command) {
        if (pendingPublishes.get() >= config.maxPendingPublishesPerConnection()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_PENDING_PUBLISHES, "this connection has "
                    + pendingPublishes.get() + " publishes Kafka has not acknowledged yet (expected: < "
                    + config.maxPendingPublishesPerConnection() + ")");
        }
        pendingPublishes.incrementAndGet();
        Endpoint endpoint = command.endpoint();
        byte[] key = endpoint.key() == null ? null : endpoint.key().getBytes(StandardCharsets.UTF_8);
        services.catalog().partitions(endpoint.topic()).whenComplete((partitions, error) -> {
            if (error != null) {
                publishFailed(FanoutService.asProtocolException(error).withRequestId(command.id()));
                return;
            }
            services.publisher().publish(endpoint.topic(), key, command.payload().bytes(), (metadata, failure) -> {
                if (failure != null) {
                    publishFailed(new ProtocolException(ErrorCode.PUBLISH_FAILED, command.id(),
                            "Kafka did not acknowledge the record: " + failure));
                    return;
                }
                pendingPublishes.decrementAndGet();
                services.stats().publishesAcknowledged.increment();
                outbound.offer(new ServerMessage.PublishAck(command.id(), endpoint.toString(), metadata.partition(),
                        metadata.offset(), metadata.timestamp()));
            });
        });
    }

    private void publishFailed(ProtocolException error) {
        pendingPublishes.decrementAndGet();
        services.stats().publishesFailed.increment();
        outbound.offer(error.toMessage());
    }

    /** Acknowledges delivery {@code tag}: processed if {@code releaseDelay} is null, else released after it. */
    private void acknowledge(long tag, Duration releaseDelay) {
        for (QueueMember member : queue.values()) {
            ConsumerRecord<byte[], byte[]> record = member.take(tag);
            if (record == null) {
                continue;
            }
            try {
                if (releaseDelay == null) {
                    member.queueGroup().processed(record);
                } else {
                    member.queueGroup().release(record, releaseDelay);
                }
            } catch (RuntimeException e) {
                log.warn("acknowledging partition {} offset {} of queue {} failed", record.partition(),
                        record.offset(), member.endpoint(), e);
                throw new ProtocolException(ErrorCode.INTERNAL, "the acknowledgment of tag " + tag
                        + " was not recorded (" + e.getMessage() + "); kmq will redeliver the record");
            }
            return;
        }
        throw new ProtocolException(ErrorCode.UNKNOWN_TAG, "tag " + tag + " is not held by this connection "
                + "(acknowledged before, released, or never delivered)");
    }

    private void checkSubscriptionLimit() {
        if (fanout.size() + queue.size() >= config.maxSubscriptionsPerConnection()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "this connection has "
                    + (fanout.size() + queue.size()) + " subscriptions (expected: < "
                    + config.maxSubscriptionsPerConnection() + ")");
        }
    }

    private record QueueKey(String endpoint, String group) {
    }
}
