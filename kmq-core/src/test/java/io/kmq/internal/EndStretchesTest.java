package io.kmq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmq.MarkerCodec;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndStretchesTest {

    @Test
    void stretchesThatContinueOrPrecedeOneWaitingForTheirPartitionJoinIt() {
        EndStretches ends = new EndStretches();
        ends.add(0, 10, 5); // 10..14
        ends.add(1, 15, 5); // another partition: never joined
        ends.add(0, 15, 5); // continues: 10..19
        ends.add(0, 5, 5); // precedes: 5..19
        ends.add(0, 30, 2); // a gap
        ends.add(0, 20, 10); // fills it: 5..31
        assertEquals(2, ends.size());
        assertEquals(List.of(new MarkerRun(0, 5, 27), new MarkerRun(1, 15, 5)), ends.take());
        assertTrue(ends.isEmpty());
        ends.add(0, 32, 1);
        assertEquals(List.of(new MarkerRun(0, 32, 1)), ends.take(), "what was taken is not continued");
    }

    @Test
    void noStretchGrowsPastWhatOneMarkerCovers() {
        int max = MarkerCodec.MAX_RANGE_COUNT;
        EndStretches ends = new EndStretches();
        ends.add(3, 0, max - 1);
        ends.add(3, max, 1);
        ends.add(3, max - 1, 1); // joins the first, which is then full: the second stays apart
        assertEquals(List.of(new MarkerRun(3, 0, max), new MarkerRun(3, max, 1)), ends.take());
        ends.add(3, 1, max);
        ends.add(3, 0, 1); // would make max + 1
        assertEquals(List.of(new MarkerRun(3, 1, max), new MarkerRun(3, 0, 1)), ends.take());
    }

    @Test
    void removingOffsetsKeepsWhatLiesOutsideAndLaterStretchesStillJoinIt() {
        EndStretches ends = new EndStretches();
        ends.add(2, 0, 10);
        ends.add(2, 20, 5);
        BitSet taken = new BitSet();
        ends.remove(2, 4, 21, taken);
        assertEquals(BitSet.valueOf(new long[] {0b111111L | (0b11L << 16)}), taken,
                "4..9 and 20..21, at their index from 4");
        ends.add(2, 4, 2); // continues 0..3
        ends.add(2, 21, 1); // precedes 22..24
        assertEquals(List.of(new MarkerRun(2, 0, 6), new MarkerRun(2, 21, 4)), ends.take());
    }
}
