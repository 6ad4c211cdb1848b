package io.kmq.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looks up an enum constant by its command-line id. */
final class Ids {

    private Ids() {
    }

    /**
     * The constant whose id is {@code id} (trimmed, case-insensitive).
     *
     * @param what the kind of thing, for the message: "scenario", "system"
     * @throws IllegalArgumentException naming the value and the known ids
     */
    static <E extends Enum<E>> E find(E[] values, Function<E, String> idOf, String id, String what) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values).filter(v -> idOf.apply(v).equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(what + " : " + id + " (expected: one of "
                        + Arrays.stream(values).map(idOf).collect(Collectors.joining(", ")) + ")"));
    }
}
