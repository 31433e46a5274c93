package io.binlogbridge.core.gtid;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.LittleEndian;

/** The GTID state a binlog file starts with, from its PREVIOUS_GTIDS (MySQL) or GTID_LIST (MariaDB) event. */
public final class PreviousGtids {
    private PreviousGtids() {}

    /** The set as text; null for any other event. {@code event} holds exactly one whole event. */
    public static String format(byte[] event) {
        int type = EventHeader.type(event, 0);
        int body = BinlogConstants.LOG_EVENT_HEADER_LEN;
        if (type == BinlogConstants.PREVIOUS_GTIDS_LOG_EVENT) {
            return MySqlGtidSet.decode(event, body, encodedLength(event, body)).toString();
        }
        if (type == BinlogConstants.GTID_LIST_EVENT) {
            return MariaDbGtidList.decode(event, body, event.length - body).toString();
        }
        return null;
    }

    /** The set's own length, walked from its counts: the event may or may not end with a checksum. */
    private static int encodedLength(byte[] b, int off) {
        int p = off;
        long sids = LittleEndian.int64(b, p);
        p += 8;
        for (long i = 0; i < sids && p + 24 <= b.length; i++) {
            long intervals = LittleEndian.int64(b, p + 16);
            p += 24 + (int) (intervals * 16);
        }
        return Math.min(p, b.length) - off;
    }
}
