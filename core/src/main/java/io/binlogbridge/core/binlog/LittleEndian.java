package io.binlogbridge.core.binlog;

/** Little-endian integers in byte arrays, as the binlog format stores them. */
public final class LittleEndian {
    private LittleEndian() {}

    public static int uint8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int uint16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    public static long uint32(byte[] b, int off) {
        return ((b[off] & 0xFFL)) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    public static long int64(byte[] b, int off) {
        return uint32(b, off) | uint32(b, off + 4) << 32;
    }

    public static void putUint16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    public static void putUint32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    public static void putInt64(byte[] b, int off, long v) {
        putUint32(b, off, v);
        putUint32(b, off + 4, v >>> 32);
    }
}
