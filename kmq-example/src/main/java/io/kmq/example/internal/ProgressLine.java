package io.kmq.example.internal;

import java.io.PrintStream;

/**
 * One progress line, refreshed in place with a carriage return on a terminal, or printed as a new line each time when
 * the output is redirected (so logs stay readable).
 */
public final class ProgressLine {

    private final PrintStream out;
    private final boolean inPlace;
    private int lastLength;

    /** Writes to {@code out}; refreshes in place only if the process has a console. */
    public ProgressLine(PrintStream out) {
        this.out = out;
        this.inPlace = System.console() != null;
    }

    /** Shows {@code text} as the current progress. */
    public synchronized void show(String text) {
        if (inPlace) {
            String padding = " ".repeat(Math.max(0, lastLength - text.length()));
            out.print("\r" + text + padding);
            lastLength = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Ends the line, so that what follows starts on a new one. */
    public synchronized void finish() {
        if (inPlace && lastLength > 0) {
            out.println();
        }
        lastLength = 0;
    }
}
