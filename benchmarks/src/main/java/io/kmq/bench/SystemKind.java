package io.kmq.bench;

/** The systems compared: each receives the same messages from the same broker in every scenario. */
public enum SystemKind {

    /**
     * A plain {@code KafkaConsumer} that commits the highest processed offset every second, as the seed's plain
     * receiver. It has no per-message redelivery: in the drop scenario it seeks back to the dropped record, which
     * re-fetches that partition from there (with {@code fetch.max.wait.ms=10} in that scenario only, so a re-fetch
     * is not held up by the broker's long poll).
     */
    PLAIN("plain"),
    /**
     * A {@code KmqClient} with its defaults (a START_RANGE marker per run of a poll, durable before the offsets are
     * committed; acknowledgments coalesced into END_RANGE markers) and the redelivery tracker running. Drops are
     * released ({@code release(record, 0)}) and redelivered by the tracker.
     */
    KMQ("kmq"),
    /** A {@code KafkaShareConsumer} (KIP-932) with explicit acknowledgement: ACCEPT, or RELEASE for a drop. */
    SHARE("share"),
    /**
     * The protocol of the original softwaremill/kmq client, on kmq's markers and tracker: a START marker per record,
     * all awaited, then a synchronous commit per poll; an END marker per processed record. No negative
     * acknowledgment: a drop is redelivered when its message timeout passes ({@code --kmq-timeout}). Not in the
     * default systems.
     */
    ORIGINAL("original");

    private final String id;

    SystemKind(String id) {
        this.id = id;
    }

    /** The name used on the command line, in the JSON and in reports. */
    public String id() {
        return id;
    }

    /**
     * The system with this {@link #id()} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the known ids
     */
    public static SystemKind of(String id) {
        return Ids.find(values(), SystemKind::id, id, "system");
    }

    @Override
    public String toString() {
        return id;
    }
}
