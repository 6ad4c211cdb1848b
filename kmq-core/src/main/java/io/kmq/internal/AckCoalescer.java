package io.kmq.internal;

import io.kmq.KmqException;
import java.time.Duration;
import java.util.List;

/**
 * Writes the END / END_RANGE markers that the in-flight index holds for acknowledged records (see
 * {@link InFlightRecords}, created with {@code coalesceEnds}): the {@link AckFlusher} thread sends the ready ones as
 * soon as {@link InFlightRecords#READY_BATCH} are ready ({@link #awaitReady}, {@link #sendReady}) and every held one
 * every {@code kmq.ack.flush.interval.ms} ({@link #flush}), so that the acknowledging threads never call the producer
 * for an END of a run and neither wake that thread per record. Thread-safe; markers are sent outside the index's lock.
 */
public final class AckCoalescer {

    private final MarkerSender markers;
    private final InFlightRecords inFlight;

    /** A coalescer writing the ENDs held by {@code inFlight} through {@code markers}. */
    public AckCoalescer(MarkerSender markers, InFlightRecords inFlight) {
        this.markers = markers;
        this.inFlight = inFlight;
    }

    /**
     * Writes every held acknowledgment, after the START markers held open (see {@link MarkerSender#flushStarts}): the
     * flusher's regular call bounds how long those wait.
     *
     * @throws KmqException naming the first record whose marker the producer refused at once
     */
    public void flush() {
        markers.flushStarts();
        send(inFlight.takeAcknowledged());
    }

    /**
     * Sends the markers of runs that left the index, after the START markers held open (so that those leave out the
     * records these markers would end, when the index skips them).
     *
     * @throws KmqException naming the first record whose marker the producer refused at once
     */
    public void sendReady() {
        markers.flushStarts();
        send(inFlight.takeReady());
    }

    /** See {@link InFlightRecords#awaitReady}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return inFlight.awaitReady(timeout);
    }

    /** Makes every current and later {@link #awaitReady} return at once (the flusher is stopping). */
    public void stopWaiting() {
        inFlight.stopWaitingForReady();
    }

    private void send(List<MarkerRun> ends) {
        KmqException first = null;
        for (MarkerRun end : ends) {
            try {
                markers.sendAsync(end.key(), end.end());
            } catch (KmqException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
