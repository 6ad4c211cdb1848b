package io.kmq.bench.internal;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Number formats shared by the console table, the Markdown report and the progress lines. */
public final class Fmt {

    private Fmt() {
    }

    /** A rate with thousands separators, no decimals: {@code 1,234,567}. */
    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    /** A count with thousands separators. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Milliseconds with two decimals, or a dash when not measured. */
    static String ms(Double millis) {
        return millis == null ? "–" : String.format(Locale.ROOT, "%.2f", millis);
    }

    /** CPU microseconds with two decimals, or a dash when not measured. */
    public static String cpu(Double micros) {
        return ms(micros);
    }

    /** CPU microseconds per process, as {@code bench 0.20 · broker 0.10}, or a dash when not measured. */
    static String byProcess(Map<String, Double> micros) {
        return micros.isEmpty() ? "–" : micros.entrySet().stream()
                .map(process -> process.getKey() + " " + cpu(process.getValue()))
                .collect(Collectors.joining(" · "));
    }

    /** A count per message with four decimals, or a dash when not counted. */
    public static String perMessage(Double perMessage) {
        return perMessage == null ? "–" : String.format(Locale.ROOT, "%.4f", perMessage);
    }

    /** A ratio with two decimals and an "x", or a dash. */
    static String ratio(Double ratio) {
        return ratio == null ? "–" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** The spread of a median as {@code min–max}. */
    static String spread(double min, double max) {
        return rate(min) + "–" + rate(max);
    }
}
