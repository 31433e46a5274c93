package io.binlogbridge.core.gtid;

import java.util.UUID;

/** UUIDs in binlog GTID structures are stored in their textual (big-endian) byte order, unlike the little-endian integers around them. */
final class GtidBytes {
    private GtidBytes() {}

    static UUID uuid(byte[] b, int off) {
        return new UUID(bigEndian64(b, off), bigEndian64(b, off + 8));
    }

    static void putUuid(byte[] b, int off, UUID u) {
        putBigEndian64(b, off, u.getMostSignificantBits());
        putBigEndian64(b, off + 8, u.getLeastSignificantBits());
    }

    private static long bigEndian64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFFL);
        }
        return v;
    }

    private static void putBigEndian64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /** Bounds check that names what was being read, so a truncated event gives a useful message. */
    static void require(byte[] b, int off, int len, String what) {
        if (b == null) {
            throw new IllegalArgumentException(what + ": buffer is null");
        }
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new IllegalArgumentException(what + ": need " + len + " bytes at offset " + off
                    + " but the buffer holds " + b.length);
        }
    }
}
