package io.binlogbridge.server.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The MySQL protocol's basic field encodings on a Netty {@link ByteBuf}: length-encoded integers and
 * strings, NUL-terminated strings. Every read checks the remaining bytes first and throws
 * {@link MalformedPacketException} instead of Netty's IndexOutOfBoundsException, so a truncated packet
 * becomes an ERR for that client and nothing else.
 */
public final class WireFormat {
    private WireFormat() {}

    /** The lenenc marker of SQL NULL in a text result row. */
    public static final int NULL_MARKER = 0xFB;

    public static void need(ByteBuf buf, int bytes, String field) {
        if (buf.readableBytes() < bytes) {
            throw new MalformedPacketException("packet ends inside " + field);
        }
    }

    public static int readInt1(ByteBuf buf, String field) {
        need(buf, 1, field);
        return buf.readUnsignedByte();
    }

    public static int readInt2(ByteBuf buf, String field) {
        need(buf, 2, field);
        return buf.readUnsignedShortLE();
    }

    public static long readInt4(ByteBuf buf, String field) {
        need(buf, 4, field);
        return buf.readUnsignedIntLE();
    }

    public static long readInt8(ByteBuf buf, String field) {
        need(buf, 8, field);
        return buf.readLongLE();
    }

    /** A length-encoded integer; 0xFB (NULL) and 0xFF are not integers here. */
    public static long readLenencInt(ByteBuf buf, String field) {
        int first = readInt1(buf, field);
        if (first < 0xFB) {
            return first;
        }
        switch (first) {
            case 0xFC:
                return readInt2(buf, field);
            case 0xFD:
                need(buf, 3, field);
                return buf.readUnsignedMediumLE();
            case 0xFE:
                return readInt8(buf, field);
            default:
                throw new MalformedPacketException("bad length-encoded integer in " + field);
        }
    }

    public static byte[] readBytes(ByteBuf buf, long length, String field) {
        if (length < 0 || length > buf.readableBytes()) {
            throw new MalformedPacketException("packet ends inside " + field);
        }
        byte[] out = new byte[(int) length];
        buf.readBytes(out);
        return out;
    }

    public static byte[] readLenencBytes(ByteBuf buf, String field) {
        return readBytes(buf, readLenencInt(buf, field), field);
    }

    public static String readLenencString(ByteBuf buf, String field) {
        return new String(readLenencBytes(buf, field), StandardCharsets.UTF_8);
    }

    /** Bytes up to a NUL (consumed, not returned); the NUL is required. */
    public static byte[] readNulBytes(ByteBuf buf, String field) {
        int nul = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (nul < 0) {
            throw new MalformedPacketException("missing NUL terminator of " + field);
        }
        byte[] out = readBytes(buf, nul - buf.readerIndex(), field);
        buf.skipBytes(1);
        return out;
    }

    public static String readNulString(ByteBuf buf, String field) {
        return new String(readNulBytes(buf, field), StandardCharsets.UTF_8);
    }

    /**
     * A NUL-terminated string that may instead run to the end of the packet: some clients omit the
     * last terminator (the auth plugin name at the end of HandshakeResponse41).
     */
    public static String readNulOrRestString(ByteBuf buf) {
        int nul = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        int end = nul < 0 ? buf.writerIndex() : nul;
        String s = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.UTF_8);
        buf.readerIndex(nul < 0 ? end : end + 1);
        return s;
    }

    public static String readRestString(ByteBuf buf, Charset charset) {
        String s = buf.toString(charset);
        buf.skipBytes(buf.readableBytes());
        return s;
    }

    public static void writeLenencInt(ByteBuf buf, long value) {
        if (value < 0) {
            // Unsigned 64-bit values above Long.MAX_VALUE.
            buf.writeByte(0xFE).writeLongLE(value);
        } else if (value < 0xFB) {
            buf.writeByte((int) value);
        } else if (value < 0x10000) {
            buf.writeByte(0xFC).writeShortLE((int) value);
        } else if (value < 0x1000000) {
            buf.writeByte(0xFD).writeMediumLE((int) value);
        } else {
            buf.writeByte(0xFE).writeLongLE(value);
        }
    }

    public static void writeLenencBytes(ByteBuf buf, byte[] bytes) {
        writeLenencInt(buf, bytes.length);
        buf.writeBytes(bytes);
    }

    public static void writeLenencString(ByteBuf buf, String s) {
        writeLenencBytes(buf, s.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeNulString(ByteBuf buf, String s) {
        buf.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }
}
