package io.binlogbridge.replayer.query;

import io.binlogbridge.replayer.session.ConnectionRegistry;
import io.binlogbridge.replayer.session.ConnectionStats;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.QueryResult.Column;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.sql.StatementContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * SHOW [FULL] PROCESSLIST: every connection as MySQL shows its threads. A dump is MySQL's dump thread
 * ("Binlog Dump" / "Binlog Dump GTID", in the state words of the version the replayer presents), a connection
 * answering a statement is "Query" with the statement, an idle one "Sleep".
 */
public final class ProcessList {
    /** MySQL shows the first 100 characters of a statement unless FULL is given (PROCESS_LIST_WIDTH). */
    private static final int INFO_WIDTH = 100;

    private final ConnectionRegistry connections;
    private final LongSupplier clock;

    public ProcessList(ConnectionRegistry connections, LongSupplier clock) {
        this.connections = connections;
        this.clock = clock;
    }

    QueryResult answer(boolean full, StatementContext context) {
        context.cursor().expectEnd();
        boolean replicaWords = sourceReplicaWording(context.identity());
        boolean mariaDb = context.identity().mariaDb();
        long now = clock.getAsLong();
        List<List<String>> rows = new ArrayList<>();
        for (Session s : connections.sessions()) {
            List<String> row = row(s, s == context.session(), full, replicaWords, now);
            if (mariaDb) {
                row.add("0.000"); // no statement here reports progress
            }
            rows.add(row);
        }
        List<Column> columns = new ArrayList<>(List.of(Column.number("Id"), Column.text("User"), Column.text("Host"),
                Column.text("db"), Column.text("Command"), Column.number("Time"), Column.text("State"), Column.text("Info")));
        if (mariaDb) {
            columns.add(Column.text("Progress")); // MariaDB's stage progress of ALTER TABLE and the like
        }
        return new QueryResult.ResultSet(columns, rows);
    }

    private static List<String> row(Session s, boolean asking, boolean full, boolean replicaWords, long now) {
        ConnectionStats stats = s.stats();
        String user = s.user();
        String command;
        String state;
        String info = null;
        long since;
        if (user == null) {
            user = "unauthenticated user";
            command = "Connect";
            state = "login";
            since = stats.connectedAtMillis();
        } else if (s.dumping() && stats.dumpServerId() >= 0) {
            command = stats.gtidDump() ? "Binlog Dump GTID" : "Binlog Dump";
            state = stats.dumpCaughtUp()
                    ? (replicaWords ? "Source has sent all binlog to replica; waiting for more updates"
                            : "Master has sent all binlog to slave; waiting for more updates")
                    : (replicaWords ? "Sending binlog event to replica" : "Sending binlog event to slave");
            since = stats.dumpStateSinceMillis();
        } else if (s.statement() != null) {
            command = "Query";
            // MySQL 8.0's and MariaDB's thread answering SHOW PROCESSLIST shows itself "starting"; another one is
            // executing its statement.
            state = asking ? "starting" : "executing";
            info = full || s.statement().length() <= INFO_WIDTH ? s.statement() : s.statement().substring(0, INFO_WIDTH);
            since = s.stateSinceMillis();
        } else {
            command = "Sleep";
            state = "";
            since = s.stateSinceMillis();
        }
        long seconds = Math.max(0, (now - since) / 1000);
        return new ArrayList<>(Arrays.asList(Integer.toString(s.connectionId()), user, stats.address(), s.database(), command,
                Long.toString(seconds), state, info));
    }

    /** MySQL 8.0.26 renamed its replication words (source, replica); MariaDB and older MySQL keep master and slave. */
    static boolean sourceReplicaWording(ServerIdentity identity) {
        if (identity.mariaDb()) {
            return false;
        }
        String[] parts = identity.serverVersion().split("[^0-9]+", 4);
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            int patch = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
            return major > 8 || (major == 8 && (minor > 0 || patch >= 26));
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
