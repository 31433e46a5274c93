package io.binlogbridge.replayer.query;

import io.binlogbridge.replayer.session.ConnectionRegistry;
import io.binlogbridge.replayer.session.ServerCounters;
import io.binlogbridge.replayer.session.Session;
import io.binlogbridge.server.session.ClientSession;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.QueryResult.Column;
import io.binlogbridge.server.sql.ShowFilter;
import io.binlogbridge.server.sql.StatementContext;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * SHOW [GLOBAL|SESSION] STATUS [LIKE … | WHERE …] with the replayer's own figures, under MySQL's names and in its
 * (alphabetical) order. Only the variables the replayer can fill truthfully are listed. As in MySQL, a global-only
 * variable shows its global value in SESSION scope; Bytes_sent is per connection there.
 */
public final class StatusVariables {
    private final ConnectionRegistry connections;
    private final ServerCounters counters;
    private final long startedAtMillis;
    private final LongSupplier clock;

    public StatusVariables(ConnectionRegistry connections, ServerCounters counters, long startedAtMillis, LongSupplier clock) {
        this.connections = connections;
        this.counters = counters;
        this.startedAtMillis = startedAtMillis;
        this.clock = clock;
    }

    QueryResult answer(boolean global, StatementContext context) {
        Predicate<String[]> filter = ShowFilter.parse(context.cursor());
        context.cursor().expectEnd();
        long uptime = Math.max(0, (clock.getAsLong() - startedAtMillis) / 1000);
        long bytesSent = !global && context.session() instanceof Session s ? s.stats().bytesWritten() : counters.bytesWritten();
        String[][] all = {
                {"Aborted_connects", Long.toString(counters.authenticationFailures())},
                {"Bytes_sent", Long.toString(bytesSent)},
                {"Connections", Long.toString(counters.connections())},
                {"Max_used_connections", Integer.toString(connections.mostOpen())},
                {"Threads_connected", Integer.toString(connections.size())},
                {"Threads_running", Integer.toString(running())},
                {"Uptime", Long.toString(uptime)},
                {"Uptime_since_flush_status", Long.toString(uptime)},
        };
        List<List<String>> rows = Arrays.stream(all).filter(filter).map(Arrays::asList).toList();
        return new QueryResult.ResultSet(List.of(Column.text("Variable_name"), Column.text("Value")), rows);
    }

    /** Connections executing a command, dumps included (MySQL counts its dump threads as running). */
    private int running() {
        int n = 0;
        for (ClientSession s : connections.sessions()) {
            if (s.dumping() || s.statement() != null) {
                n++;
            }
        }
        return n;
    }
}
