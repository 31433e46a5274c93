package io.binlogbridge.replayer.dump;

import static io.binlogbridge.core.binlog.BinlogConstants.BINLOG_CHECKSUM_LEN;
import static io.binlogbridge.core.binlog.BinlogConstants.EVENT_LEN_OFFSET;
import static io.binlogbridge.core.binlog.BinlogConstants.LOG_EVENT_HEADER_LEN;

import io.binlogbridge.core.binlog.ChecksumAlgorithms;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.binlog.LittleEndian;
import java.nio.charset.StandardCharsets;

/**
 * Renames the file a real ROTATE event points to. A file of a later term ends with its source's ROTATE naming
 * the source's next file; the replayer presents that file under another name, so the event must say that name
 * or a replica would ask for a file the log does not present. Only the name changes: timestamp, server id, flags
 * and the position in the body stay the source's; the event size, log_pos (the event's end, which moves with its
 * length) and the CRC32 trailer follow from the new bytes. ROTATEs are one per file, so building one anew costs
 * nothing next to the zero-copy path every other event takes.
 */
public final class RotateRewriter {
    /** The body before the name: the position in the next file (8 bytes). */
    private static final int POSITION_LEN = 8;

    private RotateRewriter() {}

    /**
     * @param event the ROTATE event, {@code event[off, off+length)}, checksum trailer included when {@code checksum}
     * @param nextFile the name the event must carry
     * @param checksum the file's events carry a CRC32 trailer
     * @return a new event naming {@code nextFile}
     */
    public static byte[] rewrite(byte[] event, int off, int length, String nextFile, boolean checksum) {
        byte[] name = nextFile.getBytes(StandardCharsets.UTF_8);
        int trailer = checksum ? BINLOG_CHECKSUM_LEN : 0;
        int size = LOG_EVENT_HEADER_LEN + POSITION_LEN + name.length + trailer;
        byte[] e = new byte[size];
        System.arraycopy(event, off, e, 0, LOG_EVENT_HEADER_LEN + POSITION_LEN);
        System.arraycopy(name, 0, e, LOG_EVENT_HEADER_LEN + POSITION_LEN, name.length);
        LittleEndian.putUint32(e, EVENT_LEN_OFFSET, size);
        long logPos = EventHeader.logPos(event, off);
        if (logPos != 0) {
            // log_pos is where the event ends: its start (unchanged) plus its new length.
            EventHeader.setLogPos(e, 0, logPos - length + size);
        }
        if (checksum) {
            ChecksumAlgorithms.recompute(e, 0, size);
        }
        return e;
    }
}
