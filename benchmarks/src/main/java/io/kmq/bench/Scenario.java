package io.kmq.bench;

/** The scenarios of the seed benchmark; each one is run for every system, on the same broker, with the same topics. */
public enum Scenario {

    /** Reliable send and receive at once: the producer ({@code acks=all}) sends batches of 10 and waits for each. */
    SEND_RECEIVE("send-receive", "live send (acks=all, batches awaited) and receive", "all", true),
    /** As {@link #SEND_RECEIVE}, with {@code acks=1}. */
    SEND_RECEIVE_ACKS1("send-receive-acks1", "live send (acks=1, batches awaited) and receive", "1", true),
    /** Receive from a topic populated before the receiver starts: measures the receive path alone. */
    PREPOPULATED("prepopulated", "receive a pre-populated backlog", "all", false),
    /**
     * Live send and receive where the receiver drops half of the deliveries at random and the system redelivers
     * them: about twice as many receives as sends, nothing lost.
     */
    DROPS("drops", "live send, 50 % of deliveries dropped and redelivered", "all", true),
    /**
     * End-to-end latency at a fixed send rate below saturation; each payload carries its intended send time, so a
     * stalled producer shows up as latency (coordinated omission corrected).
     */
    LATENCY("latency", "paced send at a fixed rate, end-to-end latency", "all", true);

    private final String id;
    private final String description;
    private final String acks;
    private final boolean live;

    Scenario(String id, String description, String acks, boolean live) {
        this.id = id;
        this.description = description;
        this.acks = acks;
        this.live = live;
    }

    /** The name used on the command line, in the JSON and in reports. */
    public String id() {
        return id;
    }

    /** A one-line description for reports. */
    public String description() {
        return description;
    }

    /** The producer's {@code acks} setting in this scenario. */
    public String acks() {
        return acks;
    }

    /** Whether messages are sent while the receiver runs (false: the topic is populated first). */
    public boolean live() {
        return live;
    }

    /**
     * The scenario with this {@link #id()} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the known ids
     */
    public static Scenario of(String id) {
        return Ids.find(values(), Scenario::id, id, "scenario");
    }

    @Override
    public String toString() {
        return id;
    }
}
