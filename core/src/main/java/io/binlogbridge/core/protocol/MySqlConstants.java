package io.binlogbridge.core.protocol;

/**
 * MySQL client/server protocol constants under MySQL's own names (include/mysql_com.h,
 * include/my_command.h, include/mysqld_error.h). The one place they are declared.
 */
public final class MySqlConstants {
    private MySqlConstants() {}

    /** Largest payload of one physical packet; a payload of exactly this size continues in the next. */
    public static final int MAX_PACKET_LENGTH = 0xFFFFFF;

    // Capability flags.
    public static final int CLIENT_LONG_PASSWORD = 1;
    public static final int CLIENT_FOUND_ROWS = 1 << 1;
    public static final int CLIENT_LONG_FLAG = 1 << 2;
    public static final int CLIENT_CONNECT_WITH_DB = 1 << 3;
    public static final int CLIENT_NO_SCHEMA = 1 << 4;
    public static final int CLIENT_COMPRESS = 1 << 5;
    public static final int CLIENT_ODBC = 1 << 6;
    public static final int CLIENT_LOCAL_FILES = 1 << 7;
    public static final int CLIENT_IGNORE_SPACE = 1 << 8;
    public static final int CLIENT_PROTOCOL_41 = 1 << 9;
    public static final int CLIENT_INTERACTIVE = 1 << 10;
    public static final int CLIENT_SSL = 1 << 11;
    public static final int CLIENT_IGNORE_SIGPIPE = 1 << 12;
    public static final int CLIENT_TRANSACTIONS = 1 << 13;
    public static final int CLIENT_RESERVED = 1 << 14;
    public static final int CLIENT_SECURE_CONNECTION = 1 << 15;
    public static final int CLIENT_MULTI_STATEMENTS = 1 << 16;
    public static final int CLIENT_MULTI_RESULTS = 1 << 17;
    public static final int CLIENT_PS_MULTI_RESULTS = 1 << 18;
    public static final int CLIENT_PLUGIN_AUTH = 1 << 19;
    public static final int CLIENT_CONNECT_ATTRS = 1 << 20;
    public static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
    public static final int CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1 << 22;
    public static final int CLIENT_SESSION_TRACK = 1 << 23;
    public static final int CLIENT_DEPRECATE_EOF = 1 << 24;
    public static final int CLIENT_OPTIONAL_RESULTSET_METADATA = 1 << 25;
    public static final int CLIENT_QUERY_ATTRIBUTES = 1 << 27;

    // Server status flags.
    public static final int SERVER_STATUS_IN_TRANS = 1;
    public static final int SERVER_STATUS_AUTOCOMMIT = 2;
    public static final int SERVER_MORE_RESULTS_EXISTS = 8;

    // Commands (enum_server_command).
    public static final int COM_SLEEP = 0x00;
    public static final int COM_QUIT = 0x01;
    public static final int COM_INIT_DB = 0x02;
    public static final int COM_QUERY = 0x03;
    public static final int COM_FIELD_LIST = 0x04;
    public static final int COM_STATISTICS = 0x09;
    public static final int COM_PING = 0x0E;
    public static final int COM_BINLOG_DUMP = 0x12;
    public static final int COM_REGISTER_SLAVE = 0x15;
    public static final int COM_STMT_PREPARE = 0x16;
    public static final int COM_STMT_CLOSE = 0x19;
    public static final int COM_SET_OPTION = 0x1B;
    public static final int COM_RESET_CONNECTION = 0x1F;
    public static final int COM_BINLOG_DUMP_GTID = 0x1E;

    // Generic response headers.
    public static final int OK_HEADER = 0x00;
    public static final int EOF_HEADER = 0xFE;
    public static final int ERR_HEADER = 0xFF;
    public static final int LOCAL_INFILE_HEADER = 0xFB;
    public static final int AUTH_SWITCH_REQUEST = 0xFE;
    public static final int AUTH_MORE_DATA = 0x01;

    // caching_sha2_password AuthMoreData status bytes.
    public static final int CACHING_SHA2_REQUEST_PUBLIC_KEY = 0x02;
    public static final int CACHING_SHA2_FAST_AUTH_SUCCESS = 0x03;
    public static final int CACHING_SHA2_PERFORM_FULL_AUTHENTICATION = 0x04;

    // COM_BINLOG_DUMP / COM_BINLOG_DUMP_GTID flags.
    public static final int BINLOG_DUMP_NON_BLOCK = 0x01;
    /** MySQL: client understands HEARTBEAT_LOG_EVENT_V2. MariaDB: send ANNOTATE_ROWS events. */
    public static final int BINLOG_SEND_ANNOTATE_ROWS_EVENT = 0x02;
    public static final int BINLOG_THROUGH_POSITION = 0x02;
    public static final int BINLOG_THROUGH_GTID = 0x04;

    // Column types (enum_field_types).
    public static final int MYSQL_TYPE_LONG = 3;
    public static final int MYSQL_TYPE_LONGLONG = 8;
    public static final int MYSQL_TYPE_VARCHAR = 15;
    public static final int MYSQL_TYPE_VAR_STRING = 253;
    public static final int MYSQL_TYPE_STRING = 254;

    // Character sets.
    public static final int CHARSET_UTF8MB4_GENERAL_CI = 45;
    public static final int CHARSET_UTF8_GENERAL_CI = 33;
    public static final int CHARSET_BINARY = 63;

    // Error codes (mysqld_error.h) and their SQL states.
    public static final int ER_CON_COUNT_ERROR = 1040;
    public static final int ER_HANDSHAKE_ERROR = 1043;
    public static final int ER_DBACCESS_DENIED_ERROR = 1044;
    public static final int ER_ACCESS_DENIED_ERROR = 1045;
    public static final int ER_NO_DB_ERROR = 1046;
    public static final int ER_UNKNOWN_COM_ERROR = 1047;
    public static final int ER_BAD_DB_ERROR = 1049;
    public static final int ER_NET_PACKET_TOO_LARGE = 1153;
    public static final int ER_NET_READ_ERROR = 1158;
    public static final int ER_NET_PACKETS_OUT_OF_ORDER = 1156;
    public static final int ER_PARSE_ERROR = 1064;
    public static final int ER_EMPTY_QUERY = 1065;
    public static final int ER_UNKNOWN_SYSTEM_VARIABLE = 1193;
    public static final int ER_TOO_MANY_USER_CONNECTIONS = 1203;
    public static final int ER_USER_LIMIT_REACHED = 1226;
    public static final int ER_NOT_SUPPORTED_YET = 1235;
    public static final int ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236;
    public static final int ER_ERROR_WHEN_EXECUTING_COMMAND = 1220;
    public static final int ER_UNKNOWN_ERROR = 1105;
    public static final int ER_SPECIFIC_ACCESS_DENIED_ERROR = 1227;
    public static final int ER_NO_SUCH_TABLE = 1146;
    public static final int ER_MALFORMED_PACKET = 1835;
    public static final int ER_MASTER_HAS_PURGED_REQUIRED_GTIDS = 1789;
    public static final int ER_SECURE_TRANSPORT_REQUIRED = 3159;

    public static final String SQLSTATE_GENERAL = "HY000";
    public static final String SQLSTATE_ACCESS_DENIED = "28000";
    public static final String SQLSTATE_SYNTAX = "42000";
    /** The SQL state of ER_NO_DB_ERROR (invalid catalog name). */
    public static final String SQLSTATE_NO_DB = "3D000";
    /** The SQL state of ER_SPECIFIC_ACCESS_DENIED_ERROR (same class as syntax errors in MySQL's table). */
    public static final String SQLSTATE_SPECIFIC_ACCESS_DENIED = "42000";
    public static final String SQLSTATE_HANDSHAKE = "08S01";

    // Authentication plugins.
    public static final String MYSQL_NATIVE_PASSWORD = "mysql_native_password";
    public static final String CACHING_SHA2_PASSWORD = "caching_sha2_password";
}
