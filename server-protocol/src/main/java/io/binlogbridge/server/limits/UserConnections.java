package io.binlogbridge.server.limits;

import io.binlogbridge.core.protocol.MySqlConstants;
import java.util.HashMap;
import java.util.Map;

/**
 * Connections per user, across query and dump connections, as MySQL's {@code max_user_connections} counts them:
 * a connection is counted once it authenticated and until it closes. A user's own limit ({@code max_user_connections=N}
 * in the users file, MySQL's {@code WITH MAX_USER_CONNECTIONS}) replaces the server's {@code --max-user-connections};
 * 0 for both is no limit. The errors are MySQL's: 1226 for a user's own limit, 1203 for the server's.
 */
public final class UserConnections {
    /** The ERR a refused login gets. */
    public record Refusal(int code, String sqlState, String message) {}

    private final int globalLimit;
    private final Map<String, Integer> open = new HashMap<>();

    /** @param globalLimit the server's {@code --max-user-connections}, 0 for none */
    public UserConnections(int globalLimit) {
        if (globalLimit < 0) {
            throw new IllegalArgumentException("max_user_connections must not be negative");
        }
        this.globalLimit = globalLimit;
    }

    public static UserConnections unlimited() {
        return new UserConnections(0);
    }

    /**
     * Counts one more connection of {@code user}, or refuses it.
     *
     * @param accountLimit the user's own limit, 0 for the server's
     * @return null when counted (the caller calls {@link #release} when it closes), else the error to answer with
     */
    public synchronized Refusal acquire(String user, int accountLimit) {
        int now = open.getOrDefault(user, 0);
        // MySQL counts the new connection first, then compares (check_for_max_user_connections).
        if (accountLimit > 0 && now + 1 > accountLimit) {
            return new Refusal(MySqlConstants.ER_USER_LIMIT_REACHED, MySqlConstants.SQLSTATE_SYNTAX,
                    "User '" + user + "' has exceeded the 'max_user_connections' resource (current value: " + accountLimit + ")");
        }
        if (accountLimit == 0 && globalLimit > 0 && now + 1 > globalLimit) {
            return new Refusal(MySqlConstants.ER_TOO_MANY_USER_CONNECTIONS, MySqlConstants.SQLSTATE_SYNTAX,
                    "User " + user + " already has more than 'max_user_connections' active connections");
        }
        open.put(user, now + 1);
        return null;
    }

    /** A connection {@link #acquire} counted has closed. */
    public synchronized void release(String user) {
        open.computeIfPresent(user, (u, n) -> n > 1 ? n - 1 : null);
    }

    /** The connections {@code user} holds now. */
    public synchronized int count(String user) {
        return open.getOrDefault(user, 0);
    }
}
