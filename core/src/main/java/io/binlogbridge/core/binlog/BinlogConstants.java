package io.binlogbridge.core.binlog;

/**
 * Binary log format constants under the names MySQL (libbinlogevents/include/binlog_event.h) and
 * MariaDB (sql/log_event.h) give them. The one place they are declared.
 */
public final class BinlogConstants {
    private BinlogConstants() {}

    /** The four bytes every binlog file starts with: 0xFE 'b' 'i' 'n'. */
    public static final byte[] BINLOG_MAGIC = {(byte) 0xFE, 0x62, 0x69, 0x6E};
    /** Offset of the first event in a binlog file (after the magic). */
    public static final long BIN_LOG_HEADER_SIZE = 4;

    /** timestamp(4) type(1) server_id(4) event_size(4) log_pos(4) flags(2). */
    public static final int LOG_EVENT_HEADER_LEN = 19;
    public static final int BINLOG_CHECKSUM_LEN = 4;

    // Offsets inside the common header.
    public static final int EVENT_TYPE_OFFSET = 4;
    public static final int SERVER_ID_OFFSET = 5;
    public static final int EVENT_LEN_OFFSET = 9;
    public static final int LOG_POS_OFFSET = 13;
    public static final int FLAGS_OFFSET = 17;

    // Header flags.
    public static final int LOG_EVENT_BINLOG_IN_USE_F = 0x1;
    public static final int LOG_EVENT_THREAD_SPECIFIC_F = 0x4;
    public static final int LOG_EVENT_SUPPRESS_USE_F = 0x8;
    public static final int LOG_EVENT_ARTIFICIAL_F = 0x20;
    public static final int LOG_EVENT_RELAY_LOG_F = 0x40;
    public static final int LOG_EVENT_IGNORABLE_F = 0x80;

    // Checksum algorithms (enum_binlog_checksum_alg).
    public static final int BINLOG_CHECKSUM_ALG_OFF = 0;
    public static final int BINLOG_CHECKSUM_ALG_CRC32 = 1;
    public static final int BINLOG_CHECKSUM_ALG_UNDEF = 255;

    // Event types shared by MySQL and MariaDB.
    public static final int UNKNOWN_EVENT = 0;
    public static final int START_EVENT_V3 = 1;
    public static final int QUERY_EVENT = 2;
    public static final int STOP_EVENT = 3;
    public static final int ROTATE_EVENT = 4;
    public static final int INTVAR_EVENT = 5;
    public static final int LOAD_EVENT = 6;
    public static final int SLAVE_EVENT = 7;
    public static final int CREATE_FILE_EVENT = 8;
    public static final int APPEND_BLOCK_EVENT = 9;
    public static final int EXEC_LOAD_EVENT = 10;
    public static final int DELETE_FILE_EVENT = 11;
    public static final int NEW_LOAD_EVENT = 12;
    public static final int RAND_EVENT = 13;
    public static final int USER_VAR_EVENT = 14;
    public static final int FORMAT_DESCRIPTION_EVENT = 15;
    public static final int XID_EVENT = 16;
    public static final int BEGIN_LOAD_QUERY_EVENT = 17;
    public static final int EXECUTE_LOAD_QUERY_EVENT = 18;
    public static final int TABLE_MAP_EVENT = 19;
    public static final int PRE_GA_WRITE_ROWS_EVENT = 20;
    public static final int PRE_GA_UPDATE_ROWS_EVENT = 21;
    public static final int PRE_GA_DELETE_ROWS_EVENT = 22;
    public static final int WRITE_ROWS_EVENT_V1 = 23;
    public static final int UPDATE_ROWS_EVENT_V1 = 24;
    public static final int DELETE_ROWS_EVENT_V1 = 25;
    public static final int INCIDENT_EVENT = 26;
    public static final int HEARTBEAT_LOG_EVENT = 27;
    // MySQL 5.6+.
    public static final int IGNORABLE_LOG_EVENT = 28;
    public static final int ROWS_QUERY_LOG_EVENT = 29;
    public static final int WRITE_ROWS_EVENT = 30;
    public static final int UPDATE_ROWS_EVENT = 31;
    public static final int DELETE_ROWS_EVENT = 32;
    public static final int GTID_LOG_EVENT = 33;
    public static final int ANONYMOUS_GTID_LOG_EVENT = 34;
    public static final int PREVIOUS_GTIDS_LOG_EVENT = 35;
    public static final int TRANSACTION_CONTEXT_EVENT = 36;
    public static final int VIEW_CHANGE_EVENT = 37;
    public static final int XA_PREPARE_LOG_EVENT = 38;
    public static final int PARTIAL_UPDATE_ROWS_EVENT = 39;
    public static final int TRANSACTION_PAYLOAD_EVENT = 40;
    public static final int HEARTBEAT_LOG_EVENT_V2 = 41;
    public static final int GTID_TAGGED_LOG_EVENT = 42;
    // MariaDB.
    public static final int ANNOTATE_ROWS_EVENT = 160;
    public static final int BINLOG_CHECKPOINT_EVENT = 161;
    public static final int MARIADB_GTID_EVENT = 162;
    public static final int GTID_LIST_EVENT = 163;
    public static final int START_ENCRYPTION_EVENT = 164;
    public static final int QUERY_COMPRESSED_EVENT = 165;
    public static final int WRITE_ROWS_COMPRESSED_EVENT_V1 = 166;
    public static final int UPDATE_ROWS_COMPRESSED_EVENT_V1 = 167;
    public static final int DELETE_ROWS_COMPRESSED_EVENT_V1 = 168;
    public static final int WRITE_ROWS_COMPRESSED_EVENT = 169;
    public static final int UPDATE_ROWS_COMPRESSED_EVENT = 170;
    public static final int DELETE_ROWS_COMPRESSED_EVENT = 171;

    // MariaDB GTID event flags (flags2 byte of the GTID event body).
    public static final int FL_STANDALONE = 1;
    public static final int FL_GROUP_COMMIT_ID = 2;
    public static final int FL_TRANSACTIONAL = 4;
    public static final int FL_ALLOW_PARALLEL = 8;
    public static final int FL_WAITED = 16;
    public static final int FL_DDL = 32;
    public static final int FL_PREPARED_XA = 64;
    public static final int FL_COMPLETED_XA = 128;

    // Semi-synchronous replication: events are prefixed with these two bytes when enabled.
    public static final int SEMI_SYNC_INDICATOR = 0xEF;
    public static final int SEMI_SYNC_ACK_REQUESTED = 0x01;
}
