package io.binlogbridge.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PayloadReaderWriterTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void fixedIntegersAreLittleEndian() throws Exception {
        byte[] b = new PayloadWriter(1)
                .writeInt1(0xAB)
                .writeInt2(0x1234)
                .writeInt3(0x563412)
                .writeInt4(0xFFFFFFFEL)
                .writeInt6(0x0605040302_01L)
                .writeInt8(0x8877665544332211L)
                .toByteArray();
        assertArrayEquals(bytes(0xAB, 0x34, 0x12, 0x12, 0x34, 0x56, 0xFE, 0xFF, 0xFF, 0xFF,
                1, 2, 3, 4, 5, 6, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88), b);
        PayloadReader r = new PayloadReader(b);
        assertEquals(0xAB, r.readInt1());
        assertEquals(0x1234, r.readInt2());
        assertEquals(0x563412, r.readInt3());
        assertEquals(0xFFFFFFFEL, r.readInt4());
        assertEquals(0x060504030201L, r.readInt6());
        assertEquals(0x8877665544332211L, r.readInt8());
        assertFalse(r.hasRemaining());
    }

    @Test
    void lengthEncodedIntegersUseTheShortestForm() throws Exception {
        assertArrayEquals(bytes(0xFA), new PayloadWriter().writeLengthEncodedInt(250).toByteArray());
        assertArrayEquals(bytes(0xFC, 0xFB, 0x00), new PayloadWriter().writeLengthEncodedInt(251).toByteArray());
        assertArrayEquals(bytes(0xFC, 0xFF, 0xFF), new PayloadWriter().writeLengthEncodedInt(0xFFFF).toByteArray());
        assertArrayEquals(bytes(0xFD, 0x00, 0x00, 0x01), new PayloadWriter().writeLengthEncodedInt(0x10000).toByteArray());
        assertArrayEquals(bytes(0xFD, 0xFF, 0xFF, 0xFF), new PayloadWriter().writeLengthEncodedInt(0xFFFFFF).toByteArray());
        assertArrayEquals(bytes(0xFE, 0, 0, 0, 1, 0, 0, 0, 0), new PayloadWriter().writeLengthEncodedInt(0x1000000).toByteArray());
        assertArrayEquals(bytes(0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF),
                new PayloadWriter().writeLengthEncodedInt(-1L).toByteArray());

        long[] values = {0, 1, 250, 251, 0xFFFF, 0x10000, 0xFFFFFF, 0x1000000, Long.MAX_VALUE};
        PayloadWriter w = new PayloadWriter();
        for (long v : values) {
            w.writeLengthEncodedInt(v);
        }
        PayloadReader r = new PayloadReader(w.toByteArray());
        for (long v : values) {
            assertEquals(v, r.readLengthEncodedInt());
        }
    }

    @Test
    void nullMarkerAndInvalidPrefix() throws Exception {
        PayloadReader r = new PayloadReader(bytes(0xFB, 0xFB, 0xFF));
        assertEquals(PayloadReader.NULL_LENGTH, r.readLengthEncodedInt());
        assertNull(r.readLengthEncodedString());
        assertThrows(ProtocolException.class, r::readLengthEncodedInt);
    }

    @Test
    void strings() throws Exception {
        byte[] b = new PayloadWriter()
                .writeLengthEncodedString("héllo")
                .writeLengthEncodedString(null)
                .writeLengthEncodedBytes(new byte[300])
                .writeNulTerminatedString("mysql_native_password")
                .writeString("abc")
                .writeZeros(2)
                .writeString("rest of packet")
                .toByteArray();
        PayloadReader r = new PayloadReader(b);
        assertEquals("héllo", r.readLengthEncodedString());
        assertNull(r.readLengthEncodedBytes());
        assertEquals(300, r.readLengthEncodedBytes().length);
        assertEquals("mysql_native_password", r.readNulTerminatedString());
        assertEquals("abc", r.readFixedString(3));
        r.skip(2);
        assertEquals(14, r.remaining());
        assertEquals("rest of packet", r.readRestOfPacketString());
        assertEquals(0, r.remaining());
        assertArrayEquals(new byte[0], r.readRestOfPacket());
    }

    @Test
    void nulTerminatedStringMustBeTerminated() {
        PayloadReader r = new PayloadReader(bytes('a', 'b'));
        assertThrows(ProtocolException.class, r::readNulTerminatedString);
        assertEquals("ab", r.readNulTerminatedStringOrRest());
    }

    @Test
    void nulInsideNulTerminatedStringIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PayloadWriter().writeNulTerminatedString("a\0b"));
    }

    @Test
    void readsStayInsideTheSlice() throws Exception {
        byte[] b = bytes(9, 9, 0x01, 0x02, 0x03, 0x04, 9, 9);
        PayloadReader r = new PayloadReader(b, 2, 4);
        assertEquals(2, r.position());
        assertEquals(0x0201, r.readInt2());
        assertEquals(2, r.remaining());
        ProtocolException e = assertThrows(ProtocolException.class, r::readInt4);
        assertEquals("truncated packet: need 4 bytes at offset 4, 2 left", e.getMessage());
        assertArrayEquals(bytes(3, 4), r.readRestOfPacket());
        assertThrows(IndexOutOfBoundsException.class, () -> new PayloadReader(b, 6, 3));
    }

    @Test
    void lengthBeyondThePacketIsAProtocolError() {
        PayloadReader r = new PayloadReader(bytes(0x05, 'a', 'b'));
        assertThrows(ProtocolException.class, r::readLengthEncodedString);
    }

    @Test
    void writerGrowsAndResets() {
        PayloadWriter w = new PayloadWriter(16);
        byte[] big = new byte[100_000];
        big[99_999] = 7;
        w.writeInt1(1).writeBytes(big);
        assertEquals(100_001, w.size());
        assertEquals(7, w.toByteArray()[100_000]);
        w.reset().writeInt2(0xBEEF);
        assertArrayEquals(bytes(0xEF, 0xBE), w.toByteArray());
    }
}
