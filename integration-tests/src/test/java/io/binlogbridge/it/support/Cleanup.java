package io.binlogbridge.it.support;

/** Tear-down of servers and clients a test started. */
public final class Cleanup {
    private Cleanup() {}

    /** Closes each of {@code resources} that is not null, in order; one failing to close does not stop the others. */
    public static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the next one still gets closed
            }
        }
    }
}
