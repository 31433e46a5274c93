package io.binlogbridge.server.sql;

import java.util.List;

/** A {@link LogState} that never changes: tests, and the protocol server before the topic is wired. */
public record StaticLogState(
        ServerIdentity identity,
        List<BinaryLog> binaryLogs,
        BinlogPosition currentPosition,
        String gtidExecuted,
        String gtidPurged) implements LogState {

    public StaticLogState {
        binaryLogs = List.copyOf(binaryLogs);
    }
}
