package io.kmq.example;

/**
 * The demo's accounting, by unique message id.
 *
 * @param sent          messages the broker confirmed
 * @param processed     distinct messages acknowledged by the processor
 * @param lost          sent messages neither processed nor dead-lettered
 * @param duplicates    acknowledgments of a message already processed
 * @param redelivered   redeliveries made by the tracker
 * @param deadLettered  distinct messages in the dead-letter topic
 * @param elapsedMillis wall time from the first send to the end
 */
public record DemoResult(long sent, long processed, long lost, long duplicates, long redelivered, long deadLettered,
                         long elapsedMillis) {

    /** The result line, exactly as the demo prints it last. */
    public String line() {
        return "RESULT sent=" + sent + " processed=" + processed + " lost=" + lost + " duplicates=" + duplicates
                + " redelivered=" + redelivered + " dead_lettered=" + deadLettered + " elapsed_ms=" + elapsedMillis;
    }
}
