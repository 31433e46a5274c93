package io.binlogbridge.replayer.query;

import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.StatementContext;
import io.binlogbridge.server.sql.StatementCursor;
import io.binlogbridge.server.sql.StatementFamily;

/**
 * The SHOW statements about the server itself that MySQL answers from its threads and counters:
 * {@code SHOW [FULL] PROCESSLIST}, {@code SHOW [GLOBAL|SESSION] STATUS}, {@code SHOW BINLOG EVENTS}, and
 * {@code SHOW REPLICA|SLAVE STATUS} describing the relay that feeds the log.
 * SHOW STATUS is answered here rather than by the shared constant rows because only the replayer has the figures.
 */
public final class ServerStatements implements StatementFamily {
    private final ProcessList processList;
    private final StatusVariables status;
    private final BinlogEventsStatement binlogEvents;
    private final ReplicaStatusStatement replicaStatus = new ReplicaStatusStatement();

    public ServerStatements(ProcessList processList, StatusVariables status, BinlogEventsStatement binlogEvents) {
        this.processList = processList;
        this.status = status;
        this.binlogEvents = binlogEvents;
    }

    @Override
    public QueryResult answer(String first, StatementContext context) {
        if (!first.equals("SHOW")) {
            return null;
        }
        StatementCursor cursor = context.cursor();
        if (cursor.acceptWord("FULL")) {
            return cursor.acceptWord("PROCESSLIST") ? processList.answer(true, context) : null;
        }
        if (cursor.acceptWord("PROCESSLIST")) {
            return processList.answer(false, context);
        }
        if (cursor.acceptWord("BINLOG")) {
            if (!cursor.acceptWord("EVENTS")) {
                throw cursor.syntaxHere();
            }
            return binlogEvents.answer(context);
        }
        boolean replicaSpelling = cursor.acceptWord("REPLICA");
        if (replicaSpelling || cursor.acceptWord("SLAVE")) {
            // SHOW SLAVE HOSTS is LogStatements'; anything but STATUS falls through.
            return cursor.acceptWord("STATUS") ? replicaStatus.answer(replicaSpelling, context) : null;
        }
        boolean global = cursor.acceptWord("GLOBAL");
        if (!global && !cursor.acceptWord("SESSION")) {
            cursor.acceptWord("LOCAL");
        }
        if (cursor.acceptWord("STATUS")) {
            return status.answer(global, context);
        }
        return null;
    }
}
