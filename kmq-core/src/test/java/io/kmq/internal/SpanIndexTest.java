package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SpanIndexTest {

    private record Span(long first, long last) implements SpanIndex.Span {
    }

    @Test
    void findsTheSpanCoveringAnOffsetAndNothingInTheGaps() {
        SpanIndex<Span> index = new SpanIndex<>();
        Span low = new Span(10, 19);
        Span high = new Span(30, 30);
        index.add(low);
        index.add(high);
        assertNull(index.find(9));
        assertSame(low, index.find(10));
        assertSame(low, index.find(19));
        assertNull(index.find(20));
        assertSame(high, index.find(30));
        assertNull(index.find(31));
    }

    @Test
    void aSpanAddedBeforeOthersOrRemovedFromTheMiddleKeepsTheOrder() {
        SpanIndex<Span> index = new SpanIndex<>();
        Span a = new Span(0, 4);
        Span b = new Span(5, 9);
        Span c = new Span(20, 29);
        Span d = new Span(10, 14);
        index.add(b);
        index.add(c);
        index.add(a); // before everything
        index.add(d); // between b and c
        assertEquals(List.of(a, b, d, c), index.overlapping(0, 100));
        assertTrue(index.remove(d));
        assertFalse(index.remove(d), "removed once");
        assertFalse(index.remove(new Span(0, 4)), "an equal span that is not the one added");
        assertEquals(List.of(b, c), index.overlapping(7, 20));
        assertEquals(List.of(), index.overlapping(10, 19));
        assertEquals(List.of(), index.overlapping(30, 40));
        assertNull(index.find(12));
        assertTrue(index.remove(a));
        assertTrue(index.remove(c));
        assertTrue(index.remove(b));
        assertTrue(index.isEmpty());
        assertNull(index.find(5), "the remembered span leaves with it");
    }

    /** Random adds and removes of disjoint spans, checked against a TreeMap after every step. */
    @Test
    void agreesWithATreeMapOverManyAddsAndRemoves() {
        Random random = new Random(42);
        SpanIndex<Span> index = new SpanIndex<>();
        TreeMap<Long, Span> model = new TreeMap<>();
        long next = 0;
        for (int step = 0; step < 20_000; step++) {
            int choice = random.nextInt(10);
            if (choice < 5 || model.isEmpty()) {
                Span span = new Span(next, next + random.nextInt(5));
                next = span.last() + 1 + random.nextInt(3);
                index.add(span);
                model.put(span.first(), span);
            } else if (choice < 7) {
                Span head = model.pollFirstEntry().getValue();
                assertTrue(index.remove(head));
            } else if (choice < 8 && next > 10) {
                long offset = random.nextLong(next);
                Map.Entry<Long, Span> floor = model.floorEntry(offset);
                Map.Entry<Long, Span> ceiling = model.ceilingEntry(offset);
                long from = floor == null ? 0 : floor.getValue().last() + 1;
                long to = ceiling == null ? next - 1 : ceiling.getKey() - 1;
                if (from <= offset && offset <= to) { // a gap: fill part of it, as records handed out again do
                    Span span = new Span(offset, Math.min(to, offset + random.nextInt(3)));
                    index.add(span);
                    model.put(span.first(), span);
                }
            } else {
                List<Span> all = new ArrayList<>(model.values());
                Span any = all.get(random.nextInt(all.size()));
                model.remove(any.first());
                assertTrue(index.remove(any));
            }
            long probe = next == 0 ? 0 : random.nextLong(next + 2);
            Map.Entry<Long, Span> floor = model.floorEntry(probe);
            Span expected = floor != null && floor.getValue().last() >= probe ? floor.getValue() : null;
            assertSame(expected, index.find(probe), "step " + step + ", offset " + probe);
            long to = probe + random.nextInt(20);
            List<Span> overlapping = new ArrayList<>();
            for (Span span : model.values()) {
                if (span.last() >= probe && span.first() <= to) {
                    overlapping.add(span);
                }
            }
            assertEquals(overlapping, index.overlapping(probe, to), "step " + step);
        }
    }
}
