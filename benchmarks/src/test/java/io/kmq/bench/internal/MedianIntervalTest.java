package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MedianIntervalTest {

    private static List<Double> oneTo(int n) {
        List<Double> values = new ArrayList<>(IntStream.rangeClosed(1, n).mapToObj(i -> (double) i).toList());
        Collections.shuffle(values, new Random(n));
        return values;
    }

    @Test
    void fiveValuesAreTooFewForNinetyFivePercent() {
        // the smallest and largest of 5 hold the median with 1 - 2 / 32 = 93.75 %
        assertTrue(MedianInterval.of(oneTo(5), 0.95).isEmpty());
        assertEquals(new MedianInterval(1, 5, 1 - 2.0 / 32), MedianInterval.of(oneTo(5), 0.90).orElseThrow());
    }

    @Test
    void sixValuesGiveTheirWholeRange() {
        assertEquals(new MedianInterval(1, 6, 1 - 2.0 / 64), MedianInterval.of(oneTo(6), 0.95).orElseThrow());
    }

    @Test
    void twentyOneValuesGiveTheSixthSmallestToTheSixthLargest() {
        // P(binomial(21, 1/2) <= 5) = 0.0133: coverage 0.9734; the 7th would cover only 0.9216
        MedianInterval interval = MedianInterval.of(oneTo(21), 0.95).orElseThrow();
        assertEquals(6, interval.low());
        assertEquals(16, interval.high());
        assertEquals(0.97340, interval.confidence(), 1e-5);
    }

    @Test
    void aBoundInsideTheIntervalIsSpanned() {
        MedianInterval interval = new MedianInterval(0.85, 1.02, 0.97);
        assertTrue(interval.spans(0.98));
        assertTrue(interval.spans(0.85));
        assertFalse(interval.spans(0.84));
        assertFalse(interval.spans(1.03));
    }

    @Test
    void coversTheMedianAsOftenAsItClaims() {
        // samples of a skewed distribution whose median is known (exponential, median ln 2)
        Random random = new Random(42);
        int trials = 4000;
        int covered = 0;
        for (int t = 0; t < trials; t++) {
            List<Double> sample = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                sample.add(-Math.log(1 - random.nextDouble()));
            }
            if (MedianInterval.of(sample, 0.95).orElseThrow().spans(Math.log(2))) {
                covered++;
            }
        }
        // claimed 0.9734; 4000 trials have a standard error of 0.0025
        assertEquals(0.9734, covered / (double) trials, 0.01);
    }

    @Test
    void rejectsABadConfidenceAndNonFiniteValues() {
        assertEquals("confidence : 1.0 (expected: between 0 and 1)", assertThrows(IllegalArgumentException.class,
                () -> MedianInterval.of(oneTo(6), 1.0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MedianInterval.of(List.of(1.0, Double.NaN), 0.95));
    }
}
