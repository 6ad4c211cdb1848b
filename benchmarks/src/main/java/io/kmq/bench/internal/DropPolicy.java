package io.kmq.bench.internal;

/**
 * Decides which deliveries the receiver drops in the drop scenario. The decision depends only on the seed, the
 * message's sequence number and how many times it was dropped before, so every system drops the same deliveries,
 * and a message is dropped at most {@code maxDrops} times (then processed): nothing can run into a system's
 * redelivery limit, and the expected deliveries per message are {@code sum(p^k, k = 0..maxDrops)}, about 2 at
 * {@code p = 0.5}.
 */
public final class DropPolicy {

    /** Drops nothing. */
    public static final DropPolicy NONE = new DropPolicy(0, 0, 0);

    private final double probability;
    private final int maxDrops;
    private final long seed;
    private final long threshold;

    /**
     * @param probability chance that a delivery is dropped, {@code [0, 1)}
     * @param maxDrops    drops of one message at most, {@code >= 0}
     * @param seed        the seed of the decisions
     */
    public DropPolicy(double probability, int maxDrops, long seed) {
        if (!(probability >= 0 && probability < 1)) {
            throw new IllegalArgumentException("probability : " + probability + " (expected: >= 0 and < 1)");
        }
        if (maxDrops < 0) {
            throw new IllegalArgumentException("maxDrops : " + maxDrops + " (expected: >= 0)");
        }
        this.probability = probability;
        this.maxDrops = maxDrops;
        this.seed = seed;
        // compare the top 53 bits of a hash with probability * 2^53: exact for every double in [0, 1)
        this.threshold = (long) (probability * (1L << 53));
    }

    /** Whether the delivery of message {@code sequence} after {@code droppedBefore} drops is dropped too. */
    public boolean drop(long sequence, int droppedBefore) {
        if (droppedBefore >= maxDrops || threshold == 0) {
            return false;
        }
        long hash = mix(seed ^ mix(sequence * 31 + droppedBefore));
        return (hash >>> 11) < threshold;
    }

    /** Whether this policy drops anything at all. */
    public boolean dropsAny() {
        return threshold > 0 && maxDrops > 0;
    }

    /** Deliveries per message this policy leads to on average: {@code sum(p^k, k = 0..maxDrops)}. */
    public double expectedDeliveriesPerMessage() {
        double sum = 0;
        double term = 1;
        for (int k = 0; k <= maxDrops; k++) {
            sum += term;
            term *= probability;
        }
        return sum;
    }

    /** SplitMix64's finalizer: a fast, well-mixing bijection on 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
