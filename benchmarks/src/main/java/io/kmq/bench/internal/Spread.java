package io.kmq.bench.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The median and the range of repeated measurements: benchmarks report the median of their runs and how far the runs
 * spread, never a mean alone.
 *
 * @param median the median (mean of the two middle values for an even count)
 * @param min    the smallest value
 * @param max    the largest value
 * @param count  how many values
 */
public record Spread(double median, double min, double max, int count) {

    /**
     * The spread of {@code values}.
     *
     * @throws IllegalArgumentException if there are no values or one is NaN or infinite
     */
    public static Spread of(Collection<Double> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("values : [] (expected: at least one)");
        }
        List<Double> sorted = sortedFinite(values);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
    }

    /**
     * The values in increasing order.
     *
     * @throws IllegalArgumentException if one is null, NaN or infinite
     */
    static List<Double> sortedFinite(Collection<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        for (Double v : sorted) {
            if (v == null || v.isNaN() || v.isInfinite()) {
                throw new IllegalArgumentException("value : " + v + " (expected: a finite number)");
            }
        }
        Collections.sort(sorted);
        return sorted;
    }

    /** {@code (max - min) / median}: 0 for identical runs; 0 when the median is 0. */
    public double relativeRange() {
        return median == 0 ? 0 : (max - min) / median;
    }

    /**
     * {@code value / reference}, the ratio of a system to the plain consumer; null if either is missing or the
     * reference is not positive.
     */
    public static Double ratio(Double value, Double reference) {
        if (value == null || reference == null || !(reference > 0)) {
            return null;
        }
        return value / reference;
    }
}
