package io.kmq.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./kmq bench jmh [JMH options]}: runs the JMH microbenchmarks in this jar (marker encoding and decoding, the
 * tracker's deadline index, the client's in-flight bookkeeping, acknowledgment path and whole receiving loop).
 * Without options it runs all of them briefly (1 fork, 3 warm-up and 5 measured iterations of 1 s); any options are
 * passed to JMH unchanged ({@code -h} lists them, {@code -l} lists the benchmarks).
 */
@Command(name = "jmh", mixinStandardHelpOptions = false,
        description = {"Runs the JMH microbenchmarks (marker codec, deadline index, client in-flight bookkeeping, "
                + "acknowledgment path and receiving loop). Options go to JMH as given, e.g. 'jmh -l' or 'jmh -f 1 "
                + "-wi 2 -i 3 MarkerCodec'. Default: " + JmhCommand.DEFAULTS_TEXT})
final class JmhCommand implements Callable<Integer> {

    static final String DEFAULTS_TEXT = "-f 1 -wi 3 -w 1s -i 5 -r 1s io.kmq.bench.jmh";

    @Parameters(arity = "0..*", paramLabel = "JMH-ARG", description = "Passed to org.openjdk.jmh.Main.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> all = new ArrayList<>(args);
        if (all.isEmpty()) {
            all.addAll(List.of(DEFAULTS_TEXT.split(" ")));
        }
        org.openjdk.jmh.Main.main(all.toArray(String[]::new));
        return 0;
    }
}
