package io.binlogbridge.core.relay;

import io.binlogbridge.core.record.OutgoingRecord;
import java.util.function.ToLongFunction;

/**
 * How far behind the source the log is, in seconds, as MySQL's Seconds_Behind_Source measures a replica: now minus
 * the header timestamp (the source's clock) of the first event of the last record Kafka committed; 0 when caught up
 * (the source's last message was a heartbeat, which it sends only after a heartbeat period with nothing to send, and
 * everything read is committed); NaN when not streaming from the source, or nothing committed yet while the source
 * is not idle. relay-server and the connector report the same figure.
 */
public final class SourceLag {
    private SourceLag() {}

    /**
     * @param pass the pass over the source, null when none runs
     * @param lastCommitted the last record Kafka committed, null when none
     * @param lastCommittedEvents the last committed record holding events (not a TERM_START), null when none
     * @param eventTimestamp a record's first event timestamp, in seconds
     */
    public static double secondsBehind(SourceReplication pass, OutgoingRecord lastCommitted, OutgoingRecord lastCommittedEvents,
                                       ToLongFunction<OutgoingRecord> eventTimestamp, long nowMillis) {
        if (pass == null || !pass.streaming()) {
            return Double.NaN;
        }
        OutgoingRecord read = pass.lastRead();
        if (pass.sourceIdle() && (read == null || read == lastCommitted)) {
            return 0;
        }
        if (lastCommittedEvents == null) {
            return Double.NaN;
        }
        return Math.max(0, nowMillis / 1000.0 - eventTimestamp.applyAsLong(lastCommittedEvents));
    }
}
