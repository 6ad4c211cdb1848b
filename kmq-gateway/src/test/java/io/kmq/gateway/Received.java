package io.kmq.gateway;

import io.kmq.gateway.client.GapNotice;
import io.kmq.gateway.client.GatewayMessage;
import io.kmq.gateway.client.SubscriptionListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects what a subscription receives, for assertions from the test thread. */
class Received implements SubscriptionListener {

    final List<GatewayMessage> messages = new CopyOnWriteArrayList<>();
    final List<GapNotice> gaps = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(GatewayMessage message) {
        messages.add(message);
    }

    @Override
    public void onGap(GapNotice gap) {
        gaps.add(gap);
    }

    List<String> payloads() {
        return messages.stream().map(GatewayMessage::payloadAsString).toList();
    }

    int size() {
        return messages.size();
    }

    GatewayMessage last() {
        return messages.get(messages.size() - 1);
    }
}
