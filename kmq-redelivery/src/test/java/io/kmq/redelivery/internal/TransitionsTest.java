package io.kmq.redelivery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kmq.Marker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransitionsTest {

    private static final InflightEntry STARTED = InflightEntry.started(100, 1100);

    @Test
    void startPutsADeadlineAfterTheMarkerTimestamp() {
        assertEquals(new Transitions.Put(InflightEntry.started(100, 1100)),
                Transitions.apply(null, new Marker.Start(Duration.ofSeconds(1)), 100));
    }

    @Test
    void repeatedStartRefreshesTheDeadlineKeepsTheFirstStartAndResetsARelease() {
        InflightEntry released = STARTED.due(5000, PendingAction.RELEASE);
        assertEquals(new Transitions.Put(new InflightEntry(1900, 100, PendingAction.TIMEOUT, "")),
                Transitions.apply(released, new Marker.Start(Duration.ofSeconds(1)), 900));
    }

    @Test
    void endRemovesOnlyWhatIsInFlight() {
        assertInstanceOf(Transitions.Remove.class, Transitions.apply(STARTED, new Marker.End(), 500));
        assertInstanceOf(Transitions.Keep.class, Transitions.apply(null, new Marker.End(), 500));
    }

    @Test
    void releaseIsDueAfterTheDelay() {
        assertEquals(new Transitions.Put(new InflightEntry(800, 100, PendingAction.RELEASE, "")),
                Transitions.apply(STARTED, new Marker.Release(Duration.ofMillis(300)), 500));
    }

    @Test
    void extendMovesOnlyATimeout() {
        assertEquals(new Transitions.Put(new InflightEntry(2500, 100, PendingAction.TIMEOUT, "")),
                Transitions.apply(STARTED, new Marker.Extend(Duration.ofMillis(2000)), 500));
        assertInstanceOf(Transitions.Keep.class, Transitions.apply(STARTED.due(800, PendingAction.RELEASE),
                new Marker.Extend(Duration.ofMillis(2000)), 500));
    }

    @Test
    void rejectIsDueAtOnceWithTheReasonAndIsFinal() {
        Transitions.Outcome rejected = Transitions.apply(STARTED, new Marker.Reject("bad"), 500);
        InflightEntry entry = ((Transitions.Put) rejected).entry();
        assertEquals(new InflightEntry(500, 100, PendingAction.REJECT, "bad"), entry);
        for (Marker marker : new Marker[] {new Marker.Start(Duration.ofSeconds(1)),
            new Marker.Release(Duration.ZERO), new Marker.Extend(Duration.ofSeconds(1)), new Marker.Reject("again")}) {
            assertInstanceOf(Transitions.Keep.class, Transitions.apply(entry, marker, 600), marker.toString());
        }
        assertInstanceOf(Transitions.Remove.class, Transitions.apply(entry, new Marker.End(), 600));
    }

    @Test
    void markersAboutMessagesNotInFlightAndTicksChangeNothing() {
        for (Marker marker : new Marker[] {new Marker.Release(Duration.ZERO), new Marker.Extend(Duration.ofSeconds(1)),
            new Marker.Reject("late"), new Marker.Tick()}) {
            assertInstanceOf(Transitions.Keep.class, Transitions.apply(null, marker, 600), marker.toString());
        }
        assertInstanceOf(Transitions.Keep.class, Transitions.apply(STARTED, new Marker.Tick(), 600));
    }
}
