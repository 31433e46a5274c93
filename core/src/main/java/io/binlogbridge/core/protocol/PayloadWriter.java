package io.binlogbridge.core.protocol;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a payload from the primitive types of the MySQL protocol (the counterpart of
 * {@link PayloadReader}) in a growable array. Not thread-safe; {@link #reset()} lets a connection
 * reuse one writer for every packet it sends.
 */
public final class PayloadWriter {
    private byte[] buf;
    private int size;

    public PayloadWriter() {
        this(64);
    }

    public PayloadWriter(int initialCapacity) {
        buf = new byte[Math.max(initialCapacity, 16)];
    }

    public int size() {
        return size;
    }

    public PayloadWriter reset() {
        size = 0;
        return this;
    }

    /** The internal array; valid up to {@link #size()}, and only until the next write. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    public PayloadWriter writeInt1(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    public PayloadWriter writeInt2(int v) {
        ensure(2);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        return this;
    }

    public PayloadWriter writeInt3(int v) {
        ensure(3);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        return this;
    }

    public PayloadWriter writeInt4(long v) {
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
        return this;
    }

    public PayloadWriter writeInt6(long v) {
        ensure(6);
        for (int i = 0; i < 6; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public PayloadWriter writeInt8(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** Length-encoded integer; {@code v} is treated as unsigned, so values above 2^63 fit. */
    public PayloadWriter writeLengthEncodedInt(long v) {
        if (v >= 0 && v < 0xFB) {
            return writeInt1((int) v);
        }
        if (v >= 0 && v < (1 << 16)) {
            return writeInt1(0xFC).writeInt2((int) v);
        }
        if (v >= 0 && v < (1 << 24)) {
            return writeInt1(0xFD).writeInt3((int) v);
        }
        return writeInt1(0xFE).writeInt8(v);
    }

    /** The 0xFB marker of SQL NULL in a text result row. */
    public PayloadWriter writeNull() {
        return writeInt1(0xFB);
    }

    /** Length-encoded bytes; null is written as SQL NULL (0xFB). */
    public PayloadWriter writeLengthEncodedBytes(byte[] b) {
        if (b == null) {
            return writeNull();
        }
        writeLengthEncodedInt(b.length);
        return writeBytes(b, 0, b.length);
    }

    /** Length-encoded UTF-8 string; null is written as SQL NULL (0xFB). */
    public PayloadWriter writeLengthEncodedString(String s) {
        return writeLengthEncodedBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    public PayloadWriter writeLengthEncodedString(String s, Charset charset) {
        return writeLengthEncodedBytes(s == null ? null : s.getBytes(charset));
    }

    /** The string's UTF-8 bytes then a NUL; the string must not contain NUL itself. */
    public PayloadWriter writeNulTerminatedString(String s) {
        return writeNulTerminatedString(s, StandardCharsets.UTF_8);
    }

    public PayloadWriter writeNulTerminatedString(String s, Charset charset) {
        byte[] b = s.getBytes(charset);
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("NUL inside a NUL-terminated string");
            }
        }
        return writeBytes(b).writeInt1(0);
    }

    /** The string's UTF-8 bytes without any length or terminator (fixed-length or rest-of-packet fields). */
    public PayloadWriter writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public PayloadWriter writeString(String s, Charset charset) {
        return writeBytes(s.getBytes(charset));
    }

    public PayloadWriter writeBytes(byte[] b) {
        return writeBytes(b, 0, b.length);
    }

    public PayloadWriter writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    /** {@code n} zero bytes (reserved fillers). */
    public PayloadWriter writeZeros(int n) {
        ensure(n);
        Arrays.fill(buf, size, size + n, (byte) 0);
        size += n;
        return this;
    }

    private void ensure(int n) {
        int needed = size + n;
        if (needed < 0) {
            throw new IllegalStateException("payload larger than 2 GiB");
        }
        if (needed > buf.length) {
            int grown = buf.length << 1;
            buf = Arrays.copyOf(buf, grown < 0 ? Integer.MAX_VALUE - 8 : Math.max(grown, needed));
        }
    }
}
