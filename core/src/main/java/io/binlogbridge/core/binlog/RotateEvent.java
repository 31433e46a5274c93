package io.binlogbridge.core.binlog;

import java.nio.charset.StandardCharsets;

/** ROTATE_EVENT: the next file's name and the position to continue at. */
public final class RotateEvent {
    private RotateEvent() {}

    public static long position(byte[] b, int off) {
        return LittleEndian.int64(b, off + BinlogConstants.LOG_EVENT_HEADER_LEN);
    }

    public static String fileName(byte[] b, int off, int checksumAlgorithm) {
        int start = off + BinlogConstants.LOG_EVENT_HEADER_LEN + 8;
        int end = off + (int) EventHeader.eventSize(b, off) - ChecksumAlgorithms.trailerLength(checksumAlgorithm);
        return new String(b, start, Math.max(0, end - start), StandardCharsets.UTF_8);
    }
}
