package io.binlogbridge.core.binlog;

import static io.binlogbridge.core.binlog.BinlogConstants.GTID_LOG_EVENT;
import static io.binlogbridge.core.binlog.BinlogConstants.MARIADB_GTID_EVENT;

import io.binlogbridge.core.gtid.MariaDbGtid;
import io.binlogbridge.core.gtid.MySqlGtid;

/** The GTID a transaction's first event names, as text. */
public final class GtidEvents {
    private GtidEvents() {}

    /** {@code uuid:n} for a MySQL GTID event, {@code domain-server-seq} for MariaDB's, else null. */
    public static String gtidText(byte[] b, int off) {
        int type = EventHeader.type(b, off);
        if (type == GTID_LOG_EVENT) {
            return MySqlGtid.fromGtidEvent(b, off).toString();
        }
        if (type == MARIADB_GTID_EVENT) {
            return MariaDbGtid.fromGtidEvent(b, off).toString();
        }
        return null;
    }
}
