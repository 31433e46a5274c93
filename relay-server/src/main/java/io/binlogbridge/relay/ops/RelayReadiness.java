package io.binlogbridge.relay.ops;

import io.binlogbridge.core.http.Readiness;
import io.binlogbridge.core.record.OutgoingRecord;
import io.binlogbridge.core.relay.SourceReplication;
import java.time.Duration;

/**
 * The relay is ready while it streams from the source and Kafka keeps committing what it read. Not ready: starting
 * up, between passes (reconnecting), connecting, or records read from the source waiting longer than
 * {@link #STALL} for a Kafka commit. A MySQL transaction still arriving (its chunks keep coming) is progress too,
 * so one big transaction written for minutes does not count as a stall, but a reader blocked on a full queue does.
 */
public final class RelayReadiness implements Readiness {
    public static final Duration STALL = Duration.ofSeconds(30);

    private final RelayProgress progress;
    private OutgoingRecord lastSeenRead;
    private long lastReadProgressMillis;

    public RelayReadiness(RelayProgress progress) {
        this.progress = progress;
    }

    @Override
    public synchronized String notReadyReason() {
        SourceReplication pass = progress.pass();
        if (pass == null) {
            if (!progress.everConnected()) {
                return "starting: checking the source " + progress.sourceAddress() + " and Kafka";
            }
            String error = progress.lastError();
            return "not reading the source " + progress.sourceAddress() + (error == null ? "" : " (" + error + ")") + "; reconnecting";
        }
        if (!pass.streaming()) {
            return "connecting to the source " + progress.sourceAddress();
        }
        long now = progress.nowMillis();
        OutgoingRecord read = pass.lastRead();
        if (read != lastSeenRead) {
            if (read != null && !read.commitPoint()) {
                lastReadProgressMillis = now;
            }
            lastSeenRead = read;
        }
        if (read == null || read == progress.lastCommitted()) {
            return null;
        }
        long since = Math.max(Math.max(progress.lastCommitMillis(), progress.passSinceMillis()), lastReadProgressMillis);
        if (now - since > STALL.toMillis()) {
            return "records read from the source have waited " + (now - since) / 1000 + " s for a Kafka commit";
        }
        return null;
    }
}
