package io.kmq.redelivery.internal;

/** Closes several resources, every one even if another fails (house style rule 10). */
public final class Closer {

    private Closer() {
    }

    /**
     * Closes {@code resources} in order. The first failure (or {@code pending}, if given) is thrown at the end with
     * the later ones suppressed.
     *
     * @param pending an exception already being thrown, to which close failures are added; or null
     */
    public static void closeAll(RuntimeException pending, AutoCloseable... resources) {
        RuntimeException failure = pending;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException("cannot close " + resource, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null && failure != pending) {
            throw failure;
        }
    }
}
