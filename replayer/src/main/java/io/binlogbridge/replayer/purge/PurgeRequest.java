package io.binlogbridge.replayer.purge;

import java.time.LocalDateTime;

/**
 * What a PURGE BINARY LOGS statement asks for: every file before {@code toFile} (which is kept, as MySQL keeps it), or
 * every file whose last event is older than {@code before} (the replayer's local time, as MySQL reads the datetime in
 * the session's time zone, SYSTEM by default). Exactly one is set.
 */
public record PurgeRequest(String toFile, LocalDateTime before) {
    public static PurgeRequest to(String file) {
        return new PurgeRequest(file, null);
    }

    public static PurgeRequest before(LocalDateTime time) {
        return new PurgeRequest(null, time);
    }
}
