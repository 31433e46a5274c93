package io.binlogbridge.replayer.session;

import java.util.concurrent.atomic.LongAdder;

/** Totals over every connection of one server, for its metrics: bytes added per flushed batch of packets, never per binlog event. */
public final class ServerCounters {
    private final LongAdder sentBytes = new LongAdder();
    private final LongAdder authenticationFailures = new LongAdder();

    void sent(long bytes) {
        sentBytes.add(bytes);
    }

    void authenticationFailed() {
        authenticationFailures.increment();
    }

    /** Bytes of dump packets handed to client connections (framing included). */
    public long sentBytes() {
        return sentBytes.sum();
    }

    public long authenticationFailures() {
        return authenticationFailures.sum();
    }
}
