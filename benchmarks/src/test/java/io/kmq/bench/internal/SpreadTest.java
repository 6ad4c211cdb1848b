package io.kmq.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        Spread spread = Spread.of(List.of(30.0, 10.0, 20.0));
        assertEquals(new Spread(20, 10, 30, 3), spread);
        assertEquals(1.0, spread.relativeRange(), 1e-12);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(new Spread(25, 10, 100, 4), Spread.of(List.of(100.0, 20.0, 10.0, 30.0)));
    }

    @Test
    void oneValueHasNoSpread() {
        Spread spread = Spread.of(List.of(5.0));
        assertEquals(new Spread(5, 5, 5, 1), spread);
        assertEquals(0, spread.relativeRange());
        assertEquals(0, new Spread(0, 0, 0, 1).relativeRange());
    }

    @Test
    void rejectsNoValuesAndNonFiniteOnes() {
        assertEquals("values : [] (expected: at least one)",
                assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of(1.0, Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> Spread.of(Arrays.asList(1.0, null)));
        assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of(Double.POSITIVE_INFINITY)));
    }

    @Test
    void ratioIsNullWithoutAPositiveReference() {
        assertEquals(0.5, Spread.ratio(50.0, 100.0));
        assertNull(Spread.ratio(null, 100.0));
        assertNull(Spread.ratio(50.0, null));
        assertNull(Spread.ratio(50.0, 0.0));
    }
}
