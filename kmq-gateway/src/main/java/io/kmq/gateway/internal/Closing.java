package io.kmq.gateway.internal;

/** Helpers to close several resources: every close runs, the first failure wins, the rest are suppressed. */
public final class Closing {

    private Closing() {
    }

    /** Returns {@code first}, or {@code next} if there is no first yet; adds {@code next} as suppressed otherwise. */
    public static RuntimeException collect(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }

    /** Runs {@code close}, collecting its failure into {@code first}; see {@link #collect}. */
    public static RuntimeException run(RuntimeException first, Runnable close) {
        try {
            close.run();
            return first;
        } catch (RuntimeException e) {
            return collect(first, e);
        }
    }
}
