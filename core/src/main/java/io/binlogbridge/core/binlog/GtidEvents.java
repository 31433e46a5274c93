package io.binlogbridge.core.binlog;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

/** The GTID a transaction's first event names, as text. */
public final class GtidEvents {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GtidEvents() {}

    /** {@code uuid:n} for a MySQL GTID event, {@code domain-server-seq} for MariaDB's, else null. */
    public static String gtidText(byte[] b, int off) {
        int type = EventHeader.type(b, off);
        int body = off + LOG_EVENT_HEADER_LEN;
        if (type == GTID_LOG_EVENT) {
            return uuidText(b, body + 1) + ":" + LittleEndian.int64(b, body + 17);
        }
        if (type == MARIADB_GTID_EVENT) {
            long seq = LittleEndian.int64(b, body);
            long domain = LittleEndian.uint32(b, body + 8);
            return domain + "-" + EventHeader.serverId(b, off) + "-" + Long.toUnsignedString(seq);
        }
        return null;
    }

    static String uuidText(byte[] b, int off) {
        char[] out = new char[36];
        int p = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out[p++] = '-';
            }
            out[p++] = HEX[(b[off + i] >> 4) & 0xF];
            out[p++] = HEX[b[off + i] & 0xF];
        }
        return new String(out);
    }
}
