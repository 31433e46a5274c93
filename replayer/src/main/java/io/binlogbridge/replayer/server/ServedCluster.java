package io.binlogbridge.replayer.server;

import io.binlogbridge.replayer.purge.Purger;
import io.binlogbridge.replayer.query.BinlogEventsSource;
import io.binlogbridge.server.sql.LogState;
import java.util.Objects;

/**
 * One cluster's log as the protocol server sees it: what its queries read, who serves its dumps, SHOW BINLOG EVENTS
 * and PURGE. A replayer serves one or several; each connection uses the one it chose.
 *
 * @param name the cluster's name: what {@code user|NAME}, {@code USE NAME} and {@code privilege@NAME} grants say
 */
public record ServedCluster(String name, LogState logState, DumpRequestHandler dumps, BinlogEventsSource binlogEvents, Purger purger) {
    public ServedCluster {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(logState, "logState");
        Objects.requireNonNull(dumps, "dumps");
        Objects.requireNonNull(binlogEvents, "binlogEvents");
        Objects.requireNonNull(purger, "purger");
    }
}
