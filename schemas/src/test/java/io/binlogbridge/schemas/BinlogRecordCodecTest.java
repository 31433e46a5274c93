package io.binlogbridge.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class BinlogRecordCodecTest {
    private final BinlogRecordCodec codec = new BinlogRecordCodec();

    static BinlogRecord record(byte[] events) {
        return BinlogRecord.newBuilder()
                .setKind(RecordKind.TRANSACTION).setTerm(1).setFlavor(Flavor.MYSQL)
                .setServerId(1).setServerUuid("3e11fa47-71ca-11e1-9e33-c80aa9429562").setServerVersion("8.0.15-log")
                .setFile("binlog.000001").setStartPosition(155).setEndPosition(155 + events.length)
                .setGtid("3e11fa47-71ca-11e1-9e33-c80aa9429562:7").setPreviousGtids(null)
                .setEventCount(5).setEventTimestamp(1_700_000_000L)
                .setChecksum(ChecksumAlgorithm.CRC32).setChunk(0).setLastChunk(true)
                .setEvents(ByteBuffer.wrap(events)).build();
    }

    static byte[] avroEncode(BinlogRecord r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(BinlogRecord.class).write(r, enc);
        enc.flush();
        return out.toByteArray();
    }

    @Test
    void valueEncodingIsExactlyAvros() throws Exception {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 63, 64, 127, 128, 8191, 8192, 1 << 20, (1 << 20) + 3}) {
            byte[] events = new byte[size];
            random.nextBytes(events);
            BinlogRecord r = record(events);
            byte[] fast = codec.encodeValue(r);
            assertArrayEquals(avroEncode(r), fast, "size " + size);
            BinlogRecord back = codec.decodeValue(fast);
            assertEquals(r, back);
            int off = BinlogRecordCodec.eventsOffset(fast);
            assertEquals(fast.length - size, off);
            BinlogRecord metadata = codec.decodeMetadata(fast);
            assertEquals(null, metadata.getEvents());
            metadata.setEvents(r.getEvents());
            assertEquals(r, metadata);
            for (int i = 0; i < size; i++) {
                if (fast[off + i] != events[i]) {
                    throw new AssertionError("events not in place at " + i);
                }
            }
            // The same value inside a bigger buffer (a Kafka fetch response): read in place, offsets into that buffer.
            byte[] framed = new byte[fast.length + 10];
            System.arraycopy(fast, 0, framed, 7, fast.length);
            assertEquals(7 + off, BinlogRecordCodec.eventsOffset(framed, 7, fast.length));
            BinlogRecord inPlace = codec.decodeMetadata(framed, 7, fast.length);
            inPlace.setEvents(r.getEvents());
            assertEquals(r, inPlace);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> BinlogRecordCodec.eventsOffset(framed, 7, fast.length - 1), "a truncated value is refused");
        }
    }

    @Test
    void encodesASliceWithoutTouchingTheRecord() throws Exception {
        byte[] big = new byte[100];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        BinlogRecord r = record(new byte[0]);
        byte[] fast = codec.encodeValue(r, big, 10, 20);
        byte[] slice = java.util.Arrays.copyOfRange(big, 10, 30);
        BinlogRecord expected = record(slice);
        expected.setEndPosition(r.getEndPosition());
        assertArrayEquals(avroEncode(expected), fast);
        assertEquals(0, r.getEvents().remaining());
    }

    @Test
    void keyRoundTrip() {
        BinlogKey key = new BinlogKey(3, "mysql-bin.000042", 123456789012L, 7, RecordKind.TRANSACTION);
        assertEquals(key, codec.decodeKey(codec.encodeKey(key)));
        BinlogKey header = new BinlogKey(1, "binlog.000001", 4L, 0, RecordKind.FILE_HEADER);
        assertEquals(header, codec.decodeKey(codec.encodeKey(header)));
    }

    @Test
    void garbageIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> codec.decodeValue(new byte[] {(byte) 0xFF, 0x01}));
    }

    @Test
    void varintSizes() {
        for (long n : new long[] {0, 1, 63, 64, 8191, 8192, 1L << 30, Integer.MAX_VALUE}) {
            byte[] out = new byte[10];
            assertEquals(BinlogRecordCodec.zigZagVarLongSize(n), BinlogRecordCodec.writeZigZagVarLong(out, 0, n));
        }
    }
}
