package io.binlogbridge.replayer.server;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.sql.QueryResult;
import io.binlogbridge.server.sql.SqlLexer.Kind;
import io.binlogbridge.server.sql.StatementContext;
import io.binlogbridge.server.sql.StatementFamily;
import java.util.Set;

/**
 * {@code USE NAME} on a replayer of several clusters: the connection's queries and dumps read cluster NAME from now
 * on; a name that is no cluster gets MySQL's ERROR 1049, as USE of a database that does not exist.
 */
final class UseClusterStatement implements StatementFamily {
    private final Set<String> clusters;

    UseClusterStatement(Set<String> clusters) {
        this.clusters = Set.copyOf(clusters);
    }

    @Override
    public QueryResult answer(String first, StatementContext context) {
        if (!first.equals("USE")) {
            return null;
        }
        String name = context.cursor().expect(Kind.WORD, Kind.QUOTED_IDENT).text();
        context.cursor().expectEnd();
        if (!clusters.contains(name)) {
            return new QueryResult.Error(MySqlConstants.ER_BAD_DB_ERROR, MySqlConstants.SQLSTATE_SYNTAX, "Unknown database '" + name + "'");
        }
        context.session().cluster(name);
        context.session().database(name);
        return QueryResult.ok();
    }
}
