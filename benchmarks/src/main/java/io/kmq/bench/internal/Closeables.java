package io.kmq.bench.internal;

import java.util.Arrays;
import java.util.List;

/** Closes several resources so that every close runs even when one fails. */
public final class Closeables {

    private Closeables() {
    }

    /**
     * Closes each resource (null ones are skipped) in the order given; the first failure is thrown once all are
     * closed, with the later ones added as suppressed. Checked exceptions are wrapped in {@link IllegalStateException}.
     */
    public static void closeAll(AutoCloseable... resources) {
        closeAll(Arrays.asList(resources));
    }

    /**
     * Closes {@code resource} after {@code failure} made it useless, adding a close failure to it as suppressed, and
     * returns {@code failure} for the caller to throw.
     */
    public static RuntimeException closeAfter(RuntimeException failure, AutoCloseable resource) {
        try {
            closeAll(resource);
        } catch (RuntimeException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
        return failure;
    }

    /** As {@link #closeAll(AutoCloseable...)}. */
    public static void closeAll(List<? extends AutoCloseable> resources) {
        RuntimeException first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                RuntimeException failure = e instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("cannot close " + resource, e);
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
