package io.binlogbridge.core.protocol;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the primitive types of the MySQL protocol from a payload: little-endian fixed-width
 * integers, length-encoded integers and strings, NUL-terminated strings. Works on a slice of a
 * larger array without copying it, so the binlog code can parse an event in place.
 *
 * <p>Every read checks the slice bounds and throws {@link ProtocolException} on a truncated payload:
 * a short packet from a peer is a protocol error, not a programming error.
 */
public final class PayloadReader {
    /** What {@link #readLengthEncodedInt()} returns for the 0xFB marker (SQL NULL in a text row). */
    public static final long NULL_LENGTH = -1;

    private final byte[] buf;
    private int pos;
    private final int limit;

    public PayloadReader(byte[] payload) {
        this(payload, 0, payload.length);
    }

    /** Reads {@code payload[offset, offset + length)}. */
    public PayloadReader(byte[] payload, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > payload.length) {
            throw new IndexOutOfBoundsException("slice [" + offset + ", " + (offset + length) + ") of " + payload.length + " bytes");
        }
        this.buf = payload;
        this.pos = offset;
        this.limit = offset + length;
    }

    /** Absolute index in the underlying array of the next byte to read. */
    public int position() {
        return pos;
    }

    public void position(int position) {
        if (position < 0 || position > limit) {
            throw new IndexOutOfBoundsException("position " + position + " beyond limit " + limit);
        }
        pos = position;
    }

    public int limit() {
        return limit;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    public byte[] array() {
        return buf;
    }

    /** The next byte (unsigned) without consuming it. */
    public int peek() throws ProtocolException {
        require(1);
        return buf[pos] & 0xFF;
    }

    public PayloadReader skip(int n) throws ProtocolException {
        require(n);
        pos += n;
        return this;
    }

    public int readInt1() throws ProtocolException {
        require(1);
        return buf[pos++] & 0xFF;
    }

    public int readInt2() throws ProtocolException {
        require(2);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    public int readInt3() throws ProtocolException {
        require(3);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16;
        pos += 3;
        return v;
    }

    /** Unsigned 32-bit value (positions, server ids) widened to long so it never turns negative. */
    public long readInt4() throws ProtocolException {
        require(4);
        long v = (buf[pos] & 0xFFL) | (buf[pos + 1] & 0xFFL) << 8 | (buf[pos + 2] & 0xFFL) << 16 | (buf[pos + 3] & 0xFFL) << 24;
        pos += 4;
        return v;
    }

    public long readInt6() throws ProtocolException {
        require(6);
        long v = 0;
        for (int i = 5; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFFL);
        }
        pos += 6;
        return v;
    }

    /** 64-bit value; unsigned quantities above {@code Long.MAX_VALUE} come back negative (use {@code Long.toUnsignedString}). */
    public long readInt8() throws ProtocolException {
        require(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFFL);
        }
        pos += 8;
        return v;
    }

    /**
     * A length-encoded integer; {@link #NULL_LENGTH} for 0xFB. 0xFF is not a valid first byte (it
     * starts an ERR packet), so it is rejected rather than read as a number.
     */
    public long readLengthEncodedInt() throws ProtocolException {
        int first = readInt1();
        if (first < 0xFB) {
            return first;
        }
        switch (first) {
            case 0xFB:
                return NULL_LENGTH;
            case 0xFC:
                return readInt2();
            case 0xFD:
                return readInt3();
            case 0xFE:
                return readInt8();
            default:
                throw new ProtocolException("invalid length-encoded integer prefix 0x" + Integer.toHexString(first));
        }
    }

    /** Length-encoded bytes; null for SQL NULL (0xFB). */
    public byte[] readLengthEncodedBytes() throws ProtocolException {
        long len = readLengthEncodedInt();
        if (len == NULL_LENGTH) {
            return null;
        }
        return readBytes(checkedLength(len));
    }

    /** Length-encoded UTF-8 string; null for SQL NULL (0xFB). */
    public String readLengthEncodedString() throws ProtocolException {
        return readLengthEncodedString(StandardCharsets.UTF_8);
    }

    public String readLengthEncodedString(Charset charset) throws ProtocolException {
        long len = readLengthEncodedInt();
        if (len == NULL_LENGTH) {
            return null;
        }
        return readFixedString(checkedLength(len), charset);
    }

    /** Bytes up to the next NUL, which is consumed; a missing NUL is a protocol error. */
    public byte[] readNulTerminatedBytes() throws ProtocolException {
        int end = indexOfNul();
        byte[] b = Arrays.copyOfRange(buf, pos, end);
        pos = end + 1;
        return b;
    }

    public String readNulTerminatedString() throws ProtocolException {
        return readNulTerminatedString(StandardCharsets.UTF_8);
    }

    public String readNulTerminatedString(Charset charset) throws ProtocolException {
        int end = indexOfNul();
        String s = new String(buf, pos, end - pos, charset);
        pos = end + 1;
        return s;
    }

    /**
     * Like {@link #readNulTerminatedString()}, but a string running to the end of the payload is
     * accepted: some servers omit the final NUL of the last field (e.g. the auth plugin name of old
     * MySQL 5.5 greetings).
     */
    public String readNulTerminatedStringOrRest() {
        int end = pos;
        while (end < limit && buf[end] != 0) {
            end++;
        }
        String s = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
        pos = end < limit ? end + 1 : end;
        return s;
    }

    public byte[] readBytes(int n) throws ProtocolException {
        require(n);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    public void readBytes(byte[] dst, int off, int n) throws ProtocolException {
        require(n);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
    }

    public String readFixedString(int n) throws ProtocolException {
        return readFixedString(n, StandardCharsets.UTF_8);
    }

    public String readFixedString(int n, Charset charset) throws ProtocolException {
        require(n);
        String s = new String(buf, pos, n, charset);
        pos += n;
        return s;
    }

    /** Everything up to the limit ("string&lt;EOF&gt;" in MySQL's documentation). */
    public byte[] readRestOfPacket() {
        byte[] b = Arrays.copyOfRange(buf, pos, limit);
        pos = limit;
        return b;
    }

    public String readRestOfPacketString() {
        return readRestOfPacketString(StandardCharsets.UTF_8);
    }

    public String readRestOfPacketString(Charset charset) {
        String s = new String(buf, pos, limit - pos, charset);
        pos = limit;
        return s;
    }

    private int indexOfNul() throws ProtocolException {
        for (int i = pos; i < limit; i++) {
            if (buf[i] == 0) {
                return i;
            }
        }
        throw new ProtocolException("unterminated string at offset " + pos + " of a " + (limit - pos) + "-byte remainder");
    }

    private int checkedLength(long len) throws ProtocolException {
        if (len < 0 || len > remaining()) {
            throw new ProtocolException("length " + Long.toUnsignedString(len) + " exceeds the " + remaining() + " bytes left in the packet");
        }
        return (int) len;
    }

    private void require(int n) throws ProtocolException {
        if (n < 0 || limit - pos < n) {
            throw new ProtocolException("truncated packet: need " + n + " bytes at offset " + pos + ", " + (limit - pos) + " left");
        }
    }
}
