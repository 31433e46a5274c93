package io.binlogbridge.replayer.session;

import java.util.concurrent.atomic.LongAdder;

/** Totals over every connection of one server, for its metrics: bytes added per flushed batch of packets, never per binlog event. */
public final class ServerCounters {
    private final LongAdder sentBytes = new LongAdder();
    private final LongAdder authenticationFailures = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder connections = new LongAdder();

    void sent(long bytes) {
        sentBytes.add(bytes);
    }

    void authenticationFailed() {
        authenticationFailures.increment();
    }

    /** A client connected (MySQL's Connections counts attempts, successful or not). */
    public void connected() {
        connections.increment();
    }

    /** Bytes written to a client connection, whatever they carry. */
    public void written(long bytes) {
        bytesWritten.add(bytes);
    }

    public long connections() {
        return connections.sum();
    }

    /** Every byte written to clients: results, errors and dump packets (MySQL's Bytes_sent). */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Bytes of dump packets handed to client connections (framing included). */
    public long sentBytes() {
        return sentBytes.sum();
    }

    public long authenticationFailures() {
        return authenticationFailures.sum();
    }
}
