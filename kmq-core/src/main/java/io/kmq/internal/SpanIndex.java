package io.kmq.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Disjoint spans of offsets of one partition, sorted by first offset in an array, with the span the last lookup found
 * remembered. Built for the order records are handed out and settled in: a span is added past all others and removed
 * from the front, neither of which allocates or moves anything (a {@code TreeMap} allocated an entry and a boxed key
 * per span); any other insertion or removal shifts the spans on one side. Not thread-safe.
 *
 * @param <S> the spans; their offsets must not change while they are in the index
 */
final class SpanIndex<S extends SpanIndex.Span> {

    /** Offsets {@code first() .. last()}. */
    interface Span {
        long first();

        long last();
    }

    private static final int INITIAL_CAPACITY = 8;
    /** An empty index whose array grew past this is given a small one again (a burst of spans passed). */
    private static final int RETAINED_CAPACITY = 1024;

    /** The spans in {@code head .. tail - 1}, sorted by first offset; the rest of the array is null. */
    private Span[] spans = new Span[INITIAL_CAPACITY];
    private int head;
    private int tail;
    /**
     * The span the last lookup found, or the newest added, or null: records are acknowledged mostly in hand-out order,
     * so most lookups hit the same span as the one before on that partition.
     */
    private S lastFound;

    boolean isEmpty() {
        return head == tail;
    }

    /** The span covering the offset, or null. */
    S find(long offset) {
        S last = lastFound;
        if (last != null && last.first() <= offset && offset <= last.last()) {
            return last;
        }
        int position = floor(offset);
        if (position < 0 || spans[position].last() < offset) {
            return null;
        }
        lastFound = at(position);
        return lastFound;
    }

    /**
     * Adds a span that overlaps none in the index; it becomes the one lookups try first (the likeliest to be
     * acknowledged next on its partition).
     */
    void add(S span) {
        if (tail == spans.length) {
            makeRoom();
        }
        if (isEmpty() || spans[tail - 1].first() < span.first()) {
            spans[tail++] = span;
        } else {
            int position = Math.max(floor(span.first()) + 1, head); // after the last span starting before it
            System.arraycopy(spans, position, spans, position + 1, tail - position);
            spans[position] = span;
            tail++;
        }
        lastFound = span;
    }

    /** Removes the span (the same object); returns whether it was in the index. */
    boolean remove(S span) {
        if (lastFound == span) {
            lastFound = null;
        }
        int position;
        if (isEmpty()) {
            return false;
        } else if (spans[head] == span) {
            position = head;
        } else {
            position = floor(span.first());
            if (position < 0 || spans[position] != span) {
                return false;
            }
        }
        if (position == head) {
            spans[head++] = null;
        } else {
            System.arraycopy(spans, position + 1, spans, position, tail - position - 1);
            spans[--tail] = null;
        }
        if (isEmpty()) {
            head = 0;
            tail = 0;
            if (spans.length > RETAINED_CAPACITY) {
                spans = new Span[INITIAL_CAPACITY];
            }
        }
        return true;
    }

    /** The spans covering any offset of {@code first .. last}, in offset order (a new list; empty if none). */
    List<S> overlapping(long first, long last) {
        // the usual case, offsets past everything indexed: one comparison tells there is none
        if (isEmpty() || spans[tail - 1].last() < first) {
            return List.of();
        }
        int from = floor(first);
        if (from < 0 || spans[from].last() < first) {
            from++;
        }
        from = Math.max(from, head);
        List<S> found = new ArrayList<>(2);
        for (int position = from; position < tail && spans[position].first() <= last; position++) {
            found.add(at(position));
        }
        return found;
    }

    /** The position of the span with the greatest first offset at or before {@code offset}, or -1 if none. */
    private int floor(long offset) {
        int low = head;
        int high = tail - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (spans[middle].first() <= offset) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return high >= head ? high : -1;
    }

    /** Moves the spans to the front of the array when at least half of it is free there; else doubles it. */
    private void makeRoom() {
        int size = tail - head;
        if (head >= spans.length / 2) {
            System.arraycopy(spans, head, spans, 0, size);
            Arrays.fill(spans, size, tail, null);
        } else {
            Span[] grown = new Span[spans.length * 2];
            System.arraycopy(spans, head, grown, 0, size);
            spans = grown;
        }
        head = 0;
        tail = size;
    }

    @SuppressWarnings("unchecked")
    private S at(int position) {
        return (S) spans[position];
    }
}
