package io.kmq.bench.internal;

import io.kmq.bench.BenchReport;
import io.kmq.bench.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The result table as plain text with aligned columns, for the console. */
public final class ConsoleTable {

    static final List<String> HEADER = List.of("scenario", "system", "msgs/s (median)", "spread (min–max)",
            "vs plain", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "sent", "received", "lost", "start-up ms",
            "rx CPU µs/msg", "CPU µs/msg");

    private ConsoleTable() {
    }

    /** The table of {@code report}'s rows, preceded by a line naming the machine. */
    public static String render(BenchReport report) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADER);
        for (ResultRow row : report.rows()) {
            lines.add(List.of(row.scenario(), row.system(), Fmt.rate(row.msgsPerS()),
                    Fmt.spread(row.msgsPerSMin(), row.msgsPerSMax()), Fmt.ratio(row.ratioVsPlain()),
                    Fmt.ms(row.p50Ms()), Fmt.ms(row.p99Ms()), Fmt.ms(row.p999Ms()), Fmt.ms(row.maxMs()),
                    Fmt.count(row.sent()), Fmt.count(row.received()), Fmt.count(row.lost()),
                    String.format(Locale.ROOT, "%,.0f", row.startupMs())
                            + (row.errors() > 0 ? "  (" + row.errors() + " failed)" : ""),
                    Fmt.cpu(row.receiverCpuUs()), Fmt.cpu(row.cpuUs())));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d cores, %s; broker: %s; %s, medians%n",
                report.machine().cores(), report.machine().jvm(), report.machine().broker(),
                report.settings().describeRepeats()));
        for (int l = 0; l < lines.size(); l++) {
            List<String> line = lines.get(l);
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                boolean left = i < 2;
                String pad = " ".repeat(widths[i] - cell.length());
                out.append(left ? cell + pad : pad + cell).append(i + 1 < line.size() ? "  " : "");
            }
            out.append(System.lineSeparator());
            if (l == 0) {
                int total = 0;
                for (int w : widths) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append(System.lineSeparator());
            }
        }
        return out.toString();
    }
}
