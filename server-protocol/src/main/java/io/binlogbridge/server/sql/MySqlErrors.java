package io.binlogbridge.server.sql;

import io.binlogbridge.core.protocol.MySqlConstants;

/**
 * The ERR answers the replayer gives, worded byte for byte as MySQL or MariaDB words them: replicas,
 * connectors and people match on code and text, so they must not be able to tell the replayer from a
 * source by its errors.
 */
final class MySqlErrors {
    private MySqlErrors() {}

    static QueryResult.Error emptyQuery() {
        return new QueryResult.Error(MySqlConstants.ER_EMPTY_QUERY, MySqlConstants.SQLSTATE_SYNTAX, "Query was empty");
    }

    /** 1064, quoting up to 80 characters of the statement from {@code offset}, as the server's parser does. */
    static QueryResult.Error syntax(ServerIdentity identity, String sql, int offset) {
        String near = sql.substring(Math.min(offset, sql.length()));
        if (near.length() > 80) {
            near = near.substring(0, 80);
        }
        int line = 1;
        for (int i = 0; i < offset && i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
        return new QueryResult.Error(MySqlConstants.ER_PARSE_ERROR, MySqlConstants.SQLSTATE_SYNTAX,
                "You have an error in your SQL syntax; check the manual that corresponds to your "
                        + serverName(identity) + " server version for the right syntax to use near '"
                        + near + "' at line " + line);
    }

    /** 1235, for statements MySQL would run but the replayer does not: a client learns it is not a syntax slip. */
    static QueryResult.Error notSupported(ServerIdentity identity, String sql) {
        String what = sql.strip();
        if (what.length() > 64) {
            what = what.substring(0, 64);
        }
        return new QueryResult.Error(MySqlConstants.ER_NOT_SUPPORTED_YET, MySqlConstants.SQLSTATE_SYNTAX,
                "This version of " + serverName(identity) + " doesn't yet support '" + what + "'");
    }

    static QueryResult.Error unknownSystemVariable(String name) {
        return new QueryResult.Error(MySqlConstants.ER_UNKNOWN_SYSTEM_VARIABLE, MySqlConstants.SQLSTATE_GENERAL,
                "Unknown system variable '" + name + "'");
    }

    /** @param clause where the column was named: "field list" or "where clause" */
    static QueryResult.Error unknownColumn(String name, String clause) {
        return new QueryResult.Error(QueryResponder.ER_BAD_FIELD_ERROR, "42S22",
                "Unknown column '" + name + "' in '" + clause + "'");
    }

    /** MySQL qualifies the function with the current database, when there is one. */
    static QueryResult.Error functionDoesNotExist(String database, String name) {
        return new QueryResult.Error(QueryResponder.ER_SP_DOES_NOT_EXIST, MySqlConstants.SQLSTATE_SYNTAX,
                "FUNCTION " + (database == null ? "" : database + ".") + name + " does not exist");
    }

    private static String serverName(ServerIdentity identity) {
        return identity.mariaDb() ? "MariaDB" : "MySQL";
    }
}
