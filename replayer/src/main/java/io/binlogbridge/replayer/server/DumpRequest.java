package io.binlogbridge.replayer.server;

import io.binlogbridge.core.protocol.MySqlConstants;

/**
 * A replica's request for the binlog: COM_BINLOG_DUMP (file/position) or COM_BINLOG_DUMP_GTID (MySQL
 * GTID set), with the session settings the client SET before sending it.
 *
 * @param command      {@link MySqlConstants#COM_BINLOG_DUMP} or {@link MySqlConstants#COM_BINLOG_DUMP_GTID}
 * @param binlogFile   the file to start in; may be empty (GTID auto-position, or "from the first file")
 * @param position     the offset in that file (4 = its first event)
 * @param flags        BINLOG_DUMP_NON_BLOCK, BINLOG_THROUGH_GTID, 0x02 (meaning depends on the client's flavor)
 * @param gtidSet      COM_BINLOG_DUMP_GTID only: the encoded GTID set (Gtid_set::encode), as sent; null otherwise
 */
public record DumpRequest(
        int command,
        String binlogFile,
        long position,
        long serverId,
        int flags,
        byte[] gtidSet,
        DumpSettings settings) {

    public boolean gtid() {
        return command == MySqlConstants.COM_BINLOG_DUMP_GTID;
    }

    public boolean nonBlocking() {
        return (flags & MySqlConstants.BINLOG_DUMP_NON_BLOCK) != 0;
    }
}
