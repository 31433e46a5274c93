package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.*;

import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.LittleEndian;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The events a source makes up for one dump connection, built as MySQL's Binlog_sender builds them:
 * the fake ROTATE that names the file a dump continues in, heartbeats, and the FORMAT_DESCRIPTION
 * re-sent for a start in the middle of a file.
 */
public final class ArtificialEvents {
    /** Offset of FORMAT_DESCRIPTION's create_timestamp: header, binlog_version(2), server_version(50). */
    private static final int FDE_CREATED_OFFSET = LOG_EVENT_HEADER_LEN + 2 + 50;

    private ArtificialEvents() {}

    /** Timestamp 0 and the artificial flag tell a replica this ROTATE is not in the file. */
    public static byte[] fakeRotate(long serverId, String file, long position, boolean checksum) {
        byte[] name = file.getBytes(StandardCharsets.UTF_8);
        int size = LOG_EVENT_HEADER_LEN + 8 + name.length + (checksum ? BINLOG_CHECKSUM_LEN : 0);
        byte[] e = header(ROTATE_EVENT, serverId, size, 0, LOG_EVENT_ARTIFICIAL_F);
        LittleEndian.putInt64(e, LOG_EVENT_HEADER_LEN, position);
        System.arraycopy(name, 0, e, LOG_EVENT_HEADER_LEN + 8, name.length);
        if (checksum) {
            ChecksumAlgorithms.recompute(e, 0, size);
        }
        return e;
    }

    /** A heartbeat tells an idle replica where the log stands: file name in the body, position in log_pos. */
    public static byte[] heartbeat(long serverId, String file, long position, boolean checksum) {
        byte[] name = file.getBytes(StandardCharsets.UTF_8);
        int size = LOG_EVENT_HEADER_LEN + name.length + (checksum ? BINLOG_CHECKSUM_LEN : 0);
        byte[] e = header(HEARTBEAT_LOG_EVENT, serverId, size, position, 0);
        System.arraycopy(name, 0, e, LOG_EVENT_HEADER_LEN, name.length);
        if (checksum) {
            ChecksumAlgorithms.recompute(e, 0, size);
        }
        return e;
    }

    /**
     * A heartbeat for a dump that has sent nothing yet, the log being empty: it repeats the coordinates the replica
     * asked for, the only ones it knows. Until a ROTATE names a file, a replica checks a heartbeat against what it
     * sent in its dump request (MySQL's rpl_replica.cc / rpl_slave.cc and MariaDB's slave.cc, HEARTBEAT_LOG_EVENT):
     * the heartbeat's name bytes must equal the start of its own name (memcmp over the heartbeat's length; MySQL
     * 8.0.26+ ignores a v1 heartbeat's name), log_pos must not be below its position, and MariaDB wants log_pos of
     * at least 4. An empty name (a GTID request, or a replica that asked for "the first file") is sent as one NUL
     * byte: it equals the terminator of the replica's empty name, and MariaDB 10.11 refuses a heartbeat with no name
     * at all ("inconsistent heartbeat event content", seen with 10.11.19).
     */
    public static byte[] heartbeatBeforeRotate(long serverId, String requestedFile, long requestedPosition, boolean checksum) {
        long position = Math.max(BIN_LOG_HEADER_SIZE, Math.min(requestedPosition, 0xFFFFFFFFL));
        return heartbeat(serverId, requestedFile == null || requestedFile.isEmpty() ? "\0" : requestedFile, position, checksum);
    }

    /**
     * The file's FORMAT_DESCRIPTION for a dump that skips the start of the file: log_pos 0 so the
     * replica does not move its position, created 0 so it does not drop its temporary tables.
     */
    public static byte[] formatDescriptionForMidFileStart(byte[] fde, int off, int len, boolean checksum) {
        byte[] e = Arrays.copyOfRange(fde, off, off + len);
        EventHeader.setLogPos(e, 0, 0);
        EventHeader.setFlags(e, 0, EventHeader.flags(e, 0) & ~LOG_EVENT_BINLOG_IN_USE_F);
        LittleEndian.putUint32(e, FDE_CREATED_OFFSET, 0);
        if (checksum) {
            ChecksumAlgorithms.recompute(e, 0, len);
        }
        return e;
    }

    private static byte[] header(int type, long serverId, int size, long logPos, int flags) {
        byte[] e = new byte[size];
        e[EVENT_TYPE_OFFSET] = (byte) type;
        LittleEndian.putUint32(e, SERVER_ID_OFFSET, serverId);
        LittleEndian.putUint32(e, EVENT_LEN_OFFSET, size);
        LittleEndian.putUint32(e, LOG_POS_OFFSET, logPos);
        LittleEndian.putUint16(e, FLAGS_OFFSET, flags);
        return e;
    }
}
