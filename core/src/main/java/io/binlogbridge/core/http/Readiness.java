package io.binlogbridge.core.http;

/** Whether the process does its job now; answered by {@code /ready}. Called on HTTP threads: must not block. */
@FunctionalInterface
public interface Readiness {
    /** Null when ready; otherwise one line saying why not (the body of the 503). */
    String notReadyReason();
}
