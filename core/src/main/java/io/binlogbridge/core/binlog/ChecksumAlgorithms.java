package io.binlogbridge.core.binlog;

import java.util.zip.CRC32;

/** Binlog event checksums: which algorithm a file uses, checking and recomputing CRC32 trailers. */
public final class ChecksumAlgorithms {
    private ChecksumAlgorithms() {}

    /**
     * The algorithm a FORMAT_DESCRIPTION event declares. Servers that know checksums (MySQL 5.6.1+,
     * every MariaDB that writes GTIDs) put one algorithm byte before the 4-byte checksum trailer.
     */
    public static int fromFormatDescription(byte[] b, int off) {
        long size = EventHeader.eventSize(b, off);
        String version = FormatDescription.serverVersion(b, off);
        if (!FormatDescription.versionHasChecksums(version)) {
            return BinlogConstants.BINLOG_CHECKSUM_ALG_OFF;
        }
        return b[off + (int) size - BinlogConstants.BINLOG_CHECKSUM_LEN - 1] & 0xFF;
    }

    /** Length of the checksum trailer events of this algorithm carry. */
    public static int trailerLength(int algorithm) {
        return algorithm == BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32 ? BinlogConstants.BINLOG_CHECKSUM_LEN : 0;
    }

    public static long crc32(byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, off, len);
        return crc.getValue();
    }

    /** True when the event's CRC32 trailer matches its bytes. */
    public static boolean verify(byte[] b, int off, int eventSize) {
        int body = eventSize - BinlogConstants.BINLOG_CHECKSUM_LEN;
        long expected = LittleEndian.uint32(b, off + body);
        if (EventHeader.type(b, off) == BinlogConstants.FORMAT_DESCRIPTION_EVENT
                && (EventHeader.flags(b, off) & BinlogConstants.LOG_EVENT_BINLOG_IN_USE_F) != 0) {
            // The server checksums a FORMAT_DESCRIPTION without its in-use flag, because it clears the
            // flag in place when the file is closed without rewriting the checksum.
            byte[] copy = java.util.Arrays.copyOfRange(b, off, off + body);
            EventHeader.setFlags(copy, 0, EventHeader.flags(copy, 0) & ~BinlogConstants.LOG_EVENT_BINLOG_IN_USE_F);
            return crc32(copy, 0, body) == expected;
        }
        return crc32(b, off, body) == expected;
    }

    /** Rewrites the CRC32 trailer after the event was changed (rotate rewriting, for instance). */
    public static void recompute(byte[] b, int off, int eventSize) {
        int body = eventSize - BinlogConstants.BINLOG_CHECKSUM_LEN;
        LittleEndian.putUint32(b, off + body, crc32(b, off, body));
    }
}
