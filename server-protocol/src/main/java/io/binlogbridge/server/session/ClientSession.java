package io.binlogbridge.server.session;

import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.access.Grants;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The state of one client connection that every MySQL protocol server keeps: who it is, what it
 * negotiated, the variables it SET. Read and written only on the connection's event loop, except
 * {@link #user()} and {@link #dumping()}, which a server's status reads. Servers extend it with what
 * their own commands add (the replayer: the replica a connection registered, its dump's figures).
 */
public class ClientSession {
    private final int connectionId;
    private final String remoteHost;
    private volatile String user;
    private String database;
    private int capabilities;
    private boolean authenticated;
    private volatile boolean dumping;
    /** The statement being answered, null between commands; with the time below, what SHOW PROCESSLIST shows. */
    private volatile String statement;
    private volatile long stateSinceMillis = System.currentTimeMillis();
    private boolean mariaDbClient;
    private Map<String, String> connectAttributes = Map.of();
    private Grants grants = Grants.DEFAULT;
    /** The cluster this connection reads (login name user|NAME, USE NAME, or the only one); null: none chosen. */
    private volatile String cluster;
    /** User variables ({@code @x}); MySQL compares their names case-insensitively. Values: null, Long or String. */
    private final Map<String, Object> userVariables = new HashMap<>();
    /** Session values of system variables the client SET; keys lower case, values as SHOW VARIABLES prints them (null = NULL). */
    private final Map<String, String> systemVariables = new HashMap<>();

    public ClientSession(int connectionId, String remoteHost) {
        this.connectionId = connectionId;
        this.remoteHost = remoteHost;
    }

    /** Called when the client failed to authenticate; servers that count failures override it. */
    public void authenticationFailed() {}

    public int connectionId() { return connectionId; }
    public String remoteHost() { return remoteHost; }
    public String user() { return user; }
    public void user(String user) { this.user = user; }
    public String database() { return database; }
    public void database(String database) { this.database = database; }
    /** Capabilities both sides support (client's flags AND ours). */
    public int capabilities() { return capabilities; }
    public void capabilities(int capabilities) { this.capabilities = capabilities; }
    public boolean hasCapability(int flag) { return (capabilities & flag) != 0; }
    /** Result sets end with OK-as-EOF instead of EOF packets. */
    public boolean deprecateEof() { return hasCapability(MySqlConstants.CLIENT_DEPRECATE_EOF); }
    public boolean authenticated() { return authenticated; }
    /** The connection streams to the client (a binlog dump) and reads no more commands. */
    public boolean dumping() { return dumping; }
    public void dumping(boolean dumping) { this.dumping = dumping; }
    public void authenticated(boolean authenticated) { this.authenticated = authenticated; }
    /** The privileges of the authenticated user, as the users file said when it logged in. */
    public Grants grants() { return grants; }
    public void grants(Grants grants) { this.grants = grants; }
    /** The cluster the connection chose (or was given as the only one); null on a server without clusters, or none chosen. */
    public String cluster() { return cluster; }
    public void cluster(String cluster) { this.cluster = cluster; }

    /** A statement began: the connection is executing it until {@link #commandEnded()}. */
    public void statementStarted(String sql) {
        statement = sql;
        stateSinceMillis = System.currentTimeMillis();
    }

    /** A command was answered; the connection is idle from now. */
    public void commandEnded() {
        statement = null;
        stateSinceMillis = System.currentTimeMillis();
    }

    /** The statement being executed, null when the connection is idle (or dumping). */
    public String statement() { return statement; }
    /** When the connection began its current statement, or became idle. */
    public long stateSinceMillis() { return stateSinceMillis; }

    /** A MariaDB replica or MariaDB client library: SET @mariadb_slave_capability, or connect attributes say so. */
    public boolean mariaDbClient() { return mariaDbClient; }
    public void markMariaDbClient() { this.mariaDbClient = true; }

    public Map<String, String> connectAttributes() { return connectAttributes; }
    public void connectAttributes(Map<String, String> attrs) { this.connectAttributes = Collections.unmodifiableMap(attrs); }

    public boolean hasUserVariable(String name) { return userVariables.containsKey(key(name)); }
    public Object userVariable(String name) { return userVariables.get(key(name)); }
    public void userVariable(String name, Object value) { userVariables.put(key(name), value); }

    public boolean hasSessionVariable(String name) { return systemVariables.containsKey(key(name)); }
    public String sessionVariable(String name) { return systemVariables.get(key(name)); }
    public void sessionVariable(String name, String value) { systemVariables.put(key(name), value); }

    /**
     * The status flags of this session's OK and EOF packets: SERVER_STATUS_AUTOCOMMIT until {@code SET autocommit=0}.
     * MariaDB's Connector/J answers {@code getAutoCommit()} from them, and Debezium's snapshot checks it.
     */
    public int serverStatus() {
        String autocommit = sessionVariable("autocommit");
        return autocommit == null || autocommit.equals("ON") ? MySqlConstants.SERVER_STATUS_AUTOCOMMIT : 0;
    }

    /** COM_RESET_CONNECTION: variables go back to their defaults. */
    public void resetVariables() {
        userVariables.clear();
        systemVariables.clear();
    }

    /** A user variable as a string (numbers printed), null when unset or NULL. */
    public String userVariableString(String name) {
        Object v = userVariable(name);
        return v == null ? null : v.toString();
    }

    /** A user variable as a number, null when unset, NULL or not a number. */
    public Long userVariableLong(String name) {
        Object v = userVariable(name);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
