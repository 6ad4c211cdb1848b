package io.kmq.internal;

/** Offsets of a run as indexed: the whole run, or a piece of one some of whose offsets were handed out again. */
abstract class InFlightSegment implements SpanIndex.Span {
    abstract InFlightRun run();
}
