package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.FormatDescription;
import io.binlogbridge.core.binlog.LittleEndian;
import io.binlogbridge.core.gtid.MariaDbGtidList;
import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import java.nio.charset.StandardCharsets;

/**
 * The Event_type and Info columns of SHOW BINLOG EVENTS for one event, in the words of the server that wrote it:
 * MySQL's and MariaDB's {@code Log_event::get_type_str()} and each event's {@code pack_info()}. Only the few fields
 * those texts need are read from the body; an event type without a description has an empty Info, as MySQL's
 * default {@code pack_info} gives.
 */
final class EventInfo {
    /** Query status variable codes (MySQL's Query_event_status_vars), only as far as they must be walked. */
    private static final int Q_DDL_LOGGED_WITH_XID = 17;
    private static final int STMT_END_F = 1;
    /** MariaDB GTID_EVENT flags2. */
    private static final int FL_STANDALONE = 1;
    private static final int FL_GROUP_COMMIT_ID = 2;

    private EventInfo() {}

    static String typeName(int type) {
        return switch (type) {
            case QUERY_EVENT -> "Query";
            case STOP_EVENT -> "Stop";
            case ROTATE_EVENT -> "Rotate";
            case INTVAR_EVENT -> "Intvar";
            case RAND_EVENT -> "RAND";
            case USER_VAR_EVENT -> "User var";
            case FORMAT_DESCRIPTION_EVENT -> "Format_desc";
            case XID_EVENT -> "Xid";
            case BEGIN_LOAD_QUERY_EVENT -> "Begin_load_query";
            case EXECUTE_LOAD_QUERY_EVENT -> "Execute_load_query";
            case TABLE_MAP_EVENT -> "Table_map";
            case WRITE_ROWS_EVENT_V1 -> "Write_rows_v1";
            case UPDATE_ROWS_EVENT_V1 -> "Update_rows_v1";
            case DELETE_ROWS_EVENT_V1 -> "Delete_rows_v1";
            case INCIDENT_EVENT -> "Incident";
            case HEARTBEAT_LOG_EVENT -> "Heartbeat";
            case IGNORABLE_LOG_EVENT -> "Ignorable";
            case ROWS_QUERY_LOG_EVENT -> "Rows_query";
            case WRITE_ROWS_EVENT -> "Write_rows";
            case UPDATE_ROWS_EVENT -> "Update_rows";
            case DELETE_ROWS_EVENT -> "Delete_rows";
            case GTID_LOG_EVENT, MARIADB_GTID_EVENT -> "Gtid";
            case ANONYMOUS_GTID_LOG_EVENT -> "Anonymous_Gtid";
            case PREVIOUS_GTIDS_LOG_EVENT -> "Previous_gtids";
            case TRANSACTION_CONTEXT_EVENT -> "Transaction_context";
            case VIEW_CHANGE_EVENT -> "View_change";
            case XA_PREPARE_LOG_EVENT -> "XA_prepare";
            case PARTIAL_UPDATE_ROWS_EVENT -> "Update_rows_partial";
            case TRANSACTION_PAYLOAD_EVENT -> "Transaction_payload";
            case ANNOTATE_ROWS_EVENT -> "Annotate_rows";
            case BINLOG_CHECKPOINT_EVENT -> "Binlog_checkpoint";
            case GTID_LIST_EVENT -> "Gtid_list";
            default -> "Unknown";
        };
    }

    /**
     * @param event          the event from its header on; a rows event may be cut after its post-header
     * @param checksumLength 4 when the file's events end with a CRC32, else 0
     */
    static String info(byte[] event, int checksumLength) {
        int type = EventHeader.type(event, 0);
        int body = LOG_EVENT_HEADER_LEN;
        int end = (int) Math.min(event.length, EventHeader.eventSize(event, 0)) - checksumLength;
        return switch (type) {
            case FORMAT_DESCRIPTION_EVENT -> "Server ver: " + FormatDescription.serverVersion(event, 0) + ", Binlog ver: "
                    + FormatDescription.binlogVersion(event, 0);
            case PREVIOUS_GTIDS_LOG_EVENT -> previousGtids(event, end);
            case GTID_LOG_EVENT -> "SET @@SESSION.GTID_NEXT= '" + MySqlGtid.fromGtidEvent(event, 0) + "'";
            case ANONYMOUS_GTID_LOG_EVENT -> "SET @@SESSION.GTID_NEXT= 'ANONYMOUS'";
            case QUERY_EVENT -> query(event, end);
            case TABLE_MAP_EVENT -> tableMap(event);
            case WRITE_ROWS_EVENT_V1, UPDATE_ROWS_EVENT_V1, DELETE_ROWS_EVENT_V1, WRITE_ROWS_EVENT, UPDATE_ROWS_EVENT,
                    DELETE_ROWS_EVENT, PARTIAL_UPDATE_ROWS_EVENT -> "table_id: " + tableId(event)
                    + ((LittleEndian.uint16(event, body + 6) & STMT_END_F) != 0 ? " flags: STMT_END_F" : "");
            case XID_EVENT -> "COMMIT /* xid=" + Long.toUnsignedString(LittleEndian.int64(event, body)) + " */";
            case ROTATE_EVENT -> text(event, body + 8, end) + ";pos=" + Long.toUnsignedString(LittleEndian.int64(event, body));
            case MARIADB_GTID_EVENT -> mariaDbGtid(event);
            case GTID_LIST_EVENT -> gtidList(event, end);
            case BINLOG_CHECKPOINT_EVENT -> text(event, body + 4, body + 4 + (int) LittleEndian.uint32(event, body));
            case ANNOTATE_ROWS_EVENT -> text(event, body, end);
            // MySQL's counterpart of ANNOTATE_ROWS (binlog_rows_query_log_events): a length byte, then the statement.
            case ROWS_QUERY_LOG_EVENT -> "# " + text(event, body + 1, end);
            default -> "";
        };
    }

    /** How much of an event {@link #info} reads: rows events only up to their table id and flags. */
    static int bytesNeeded(int type, int length) {
        return switch (type) {
            case WRITE_ROWS_EVENT_V1, UPDATE_ROWS_EVENT_V1, DELETE_ROWS_EVENT_V1, WRITE_ROWS_EVENT, UPDATE_ROWS_EVENT,
                    DELETE_ROWS_EVENT, PARTIAL_UPDATE_ROWS_EVENT -> Math.min(length, LOG_EVENT_HEADER_LEN + 8);
            default -> length;
        };
    }

    /** MySQL prints the set with its default separators: ",\n" between server uuids. */
    private static String previousGtids(byte[] event, int end) {
        return MySqlGtidSet.decode(event, LOG_EVENT_HEADER_LEN, end - LOG_EVENT_HEADER_LEN).toServerString();
    }

    /** {@code use `db`; query}, the use part left out for an event flagged LOG_EVENT_SUPPRESS_USE_F or without a db. */
    private static String query(byte[] event, int end) {
        int post = LOG_EVENT_HEADER_LEN;
        int dbLength = event[post + 8] & 0xFF;
        int statusLength = LittleEndian.uint16(event, post + 11);
        int status = post + 13;
        int dbStart = status + statusLength;
        String db = text(event, dbStart, dbStart + dbLength);
        int queryStart = dbStart + dbLength + 1;
        StringBuilder info = new StringBuilder();
        if ((EventHeader.flags(event, 0) & LOG_EVENT_SUPPRESS_USE_F) == 0 && dbLength > 0) {
            info.append("use `").append(db.replace("`", "``")).append("`; ");
        }
        info.append(text(event, queryStart, end));
        long ddlXid = ddlXid(event, status, dbStart);
        if (ddlXid != -1 && queryStart < end) {
            // MySQL 8.0 writes DDL with the xid of its atomic commit, and shows it as for an XID event.
            info.append(" /* xid=").append(Long.toUnsignedString(ddlXid)).append(" */");
        }
        return info.toString();
    }

    /** The xid of Q_DDL_LOGGED_WITH_XID among the status variables, -1 without one (or past a code this walk does not know). */
    private static long ddlXid(byte[] b, int p, int end) {
        while (p < end) {
            int code = b[p++] & 0xFF;
            switch (code) {
                case 0, 10 -> p += 4;                       // FLAGS2, MASTER_DATA_WRITTEN
                case 1, 9 -> p += 8;                        // SQL_MODE, TABLE_MAP_FOR_UPDATE
                case 2 -> p += 1 + (b[p] & 0xFF) + 1;       // CATALOG (old, NUL-ended)
                case 3 -> p += 4;                           // AUTO_INCREMENT
                case 4 -> p += 6;                           // CHARSET
                case 5, 6 -> p += 1 + (b[p] & 0xFF);        // TIME_ZONE, CATALOG_NZ
                case 7, 8, 18 -> p += 2;                    // LC_TIME_NAMES, CHARSET_DATABASE, DEFAULT_COLLATION_FOR_UTF8MB4
                case 11 -> {                                // INVOKER: user, host
                    p += 1 + (b[p] & 0xFF);
                    p += 1 + (b[p] & 0xFF);
                }
                case 12 -> {                                // UPDATED_DB_NAMES: count, NUL-ended names
                    int count = b[p++] & 0xFF;
                    if (count != 254) {                     // OVER_MAX_DBS_IN_EVENT_MTS: no names follow
                        for (int i = 0; i < count; i++) {
                            while (p < end && b[p] != 0) {
                                p++;
                            }
                            p++;
                        }
                    }
                }
                case 13 -> p += 3;                          // MICROSECONDS
                case 16, 19, 20 -> p += 1;                  // EXPLICIT_DEFAULTS_FOR_TIMESTAMP, SQL_REQUIRE_PRIMARY_KEY, DEFAULT_TABLE_ENCRYPTION
                case Q_DDL_LOGGED_WITH_XID -> {
                    return LittleEndian.int64(b, p);
                }
                default -> {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** {@code table_id: N (db.table)}. */
    private static String tableMap(byte[] event) {
        int p = LOG_EVENT_HEADER_LEN + 8;
        int dbLength = event[p] & 0xFF;
        String db = text(event, p + 1, p + 1 + dbLength);
        p += 1 + dbLength + 1;
        int tableLength = event[p] & 0xFF;
        String table = text(event, p + 1, p + 1 + tableLength);
        return "table_id: " + tableId(event) + " (" + db + "." + table + ")";
    }

    /** The 6-byte table id after the common header. */
    private static long tableId(byte[] event) {
        return LittleEndian.uint32(event, LOG_EVENT_HEADER_LEN) | ((long) LittleEndian.uint16(event, LOG_EVENT_HEADER_LEN + 4) << 32);
    }

    /** MariaDB: {@code BEGIN GTID d-s-n}, {@code GTID d-s-n} for a statement outside a transaction, and the commit id. */
    private static String mariaDbGtid(byte[] event) {
        int body = LOG_EVENT_HEADER_LEN;
        long seq = LittleEndian.int64(event, body);
        long domain = LittleEndian.uint32(event, body + 8);
        int flags2 = event[body + 12] & 0xFF;
        StringBuilder info = new StringBuilder((flags2 & FL_STANDALONE) != 0 ? "GTID " : "BEGIN GTID ");
        info.append(domain).append('-').append(EventHeader.serverId(event, 0)).append('-').append(Long.toUnsignedString(seq));
        if ((flags2 & FL_GROUP_COMMIT_ID) != 0) {
            info.append(" cid=").append(Long.toUnsignedString(LittleEndian.int64(event, body + 13)));
        }
        return info.toString();
    }

    /** MariaDB: {@code [d-s-n,d-s-n]}. */
    private static String gtidList(byte[] event, int end) {
        MariaDbGtidList list = MariaDbGtidList.decode(event, LOG_EVENT_HEADER_LEN, end - LOG_EVENT_HEADER_LEN);
        StringBuilder info = new StringBuilder("[");
        for (int i = 0; i < list.gtids().size(); i++) {
            if (i > 0) {
                info.append(',');
            }
            info.append(list.gtids().get(i));
        }
        return info.append(']').toString();
    }

    private static String text(byte[] b, int from, int to) {
        return to <= from ? "" : new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
