package io.binlogbridge.core.binlog;

import static io.binlogbridge.core.binlog.BinlogConstants.EVENT_LEN_OFFSET;
import static io.binlogbridge.core.binlog.BinlogConstants.EVENT_TYPE_OFFSET;
import static io.binlogbridge.core.binlog.BinlogConstants.FLAGS_OFFSET;
import static io.binlogbridge.core.binlog.BinlogConstants.LOG_POS_OFFSET;
import static io.binlogbridge.core.binlog.BinlogConstants.SERVER_ID_OFFSET;

/**
 * Reads the 19-byte common header of an event in place: no object per event.
 * {@code off} is the offset of the event's first byte.
 */
public final class EventHeader {
    private EventHeader() {}

    public static long timestamp(byte[] b, int off) {
        return LittleEndian.uint32(b, off);
    }

    public static int type(byte[] b, int off) {
        return b[off + EVENT_TYPE_OFFSET] & 0xFF;
    }

    public static long serverId(byte[] b, int off) {
        return LittleEndian.uint32(b, off + SERVER_ID_OFFSET);
    }

    /** Whole event length: header, body and checksum. */
    public static long eventSize(byte[] b, int off) {
        return LittleEndian.uint32(b, off + EVENT_LEN_OFFSET);
    }

    /** Position just after this event in the file it was written to; 0 for artificial events. */
    public static long logPos(byte[] b, int off) {
        return LittleEndian.uint32(b, off + LOG_POS_OFFSET);
    }

    public static int flags(byte[] b, int off) {
        return LittleEndian.uint16(b, off + FLAGS_OFFSET);
    }

    public static void setLogPos(byte[] b, int off, long logPos) {
        LittleEndian.putUint32(b, off + LOG_POS_OFFSET, logPos);
    }

    public static void setFlags(byte[] b, int off, int flags) {
        LittleEndian.putUint16(b, off + FLAGS_OFFSET, flags);
    }

    public static String typeName(int type) {
        switch (type) {
            case BinlogConstants.QUERY_EVENT: return "QUERY";
            case BinlogConstants.STOP_EVENT: return "STOP";
            case BinlogConstants.ROTATE_EVENT: return "ROTATE";
            case BinlogConstants.FORMAT_DESCRIPTION_EVENT: return "FORMAT_DESCRIPTION";
            case BinlogConstants.XID_EVENT: return "XID";
            case BinlogConstants.TABLE_MAP_EVENT: return "TABLE_MAP";
            case BinlogConstants.WRITE_ROWS_EVENT: return "WRITE_ROWS";
            case BinlogConstants.UPDATE_ROWS_EVENT: return "UPDATE_ROWS";
            case BinlogConstants.DELETE_ROWS_EVENT: return "DELETE_ROWS";
            case BinlogConstants.INCIDENT_EVENT: return "INCIDENT";
            case BinlogConstants.HEARTBEAT_LOG_EVENT: return "HEARTBEAT";
            case BinlogConstants.HEARTBEAT_LOG_EVENT_V2: return "HEARTBEAT_V2";
            case BinlogConstants.GTID_LOG_EVENT: return "GTID";
            case BinlogConstants.ANONYMOUS_GTID_LOG_EVENT: return "ANONYMOUS_GTID";
            case BinlogConstants.PREVIOUS_GTIDS_LOG_EVENT: return "PREVIOUS_GTIDS";
            case BinlogConstants.XA_PREPARE_LOG_EVENT: return "XA_PREPARE";
            case BinlogConstants.ANNOTATE_ROWS_EVENT: return "ANNOTATE_ROWS";
            case BinlogConstants.BINLOG_CHECKPOINT_EVENT: return "BINLOG_CHECKPOINT";
            case BinlogConstants.MARIADB_GTID_EVENT: return "MARIADB_GTID";
            case BinlogConstants.GTID_LIST_EVENT: return "GTID_LIST";
            default: return "type " + type;
        }
    }
}
