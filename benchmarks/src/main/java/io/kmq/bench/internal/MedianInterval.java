package io.kmq.bench.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A distribution-free confidence interval for the median of repeated measurements: between the k-th smallest and the
 * k-th largest value, with k the largest for which the true median lies between them with at least the confidence
 * asked (each value falls below the median with probability one half, so how many do is binomial). It tells whether
 * a goal judged by the median of rounds is decided by them: an interval spanning the goal's bound is not.
 *
 * @param low        the k-th smallest value
 * @param high       the k-th largest value
 * @param confidence the interval's exact coverage, at least the confidence asked
 */
public record MedianInterval(double low, double high, double confidence) {

    /** The confidence the reports use. */
    public static final double NINETY_FIVE = 0.95;

    /**
     * The interval of {@code values} with at least {@code confidence}; empty when there are too few values for any
     * (below 6 for 95 %: even the smallest and largest of 5 cover the median with only 94 %).
     *
     * @throws IllegalArgumentException if {@code confidence} is not strictly between 0 and 1, or a value is not finite
     */
    public static Optional<MedianInterval> of(Collection<Double> values, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence : " + confidence + " (expected: between 0 and 1)");
        }
        List<Double> sorted = Spread.sortedFinite(values);
        int n = sorted.size();
        // P(fewer than k of n values below the median) for k = 1, 2, ...: the binomial(n, 1/2) distribution
        double below = 0;
        double term = Math.pow(0.5, n); // P(exactly 0 below)
        int best = 0;
        double bestCoverage = 0;
        for (int k = 1; k <= n / 2; k++) {
            below += term;
            term = term * (n - k + 1) / k;
            double coverage = 1 - 2 * below;
            if (coverage < confidence) {
                break;
            }
            best = k;
            bestCoverage = coverage;
        }
        if (best == 0) {
            return Optional.empty();
        }
        return Optional.of(new MedianInterval(sorted.get(best - 1), sorted.get(n - best), bestCoverage));
    }

    /** Whether {@code bound} lies within the interval (the rounds do not decide a goal with that bound). */
    public boolean spans(double bound) {
        return low <= bound && bound <= high;
    }
}
