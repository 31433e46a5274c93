package io.binlogbridge.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro binary encoding of the topic's keys ({@link BinlogKey}) and values ({@link BinlogRecord}).
 *
 * <p>Values carry up to megabytes of event bytes, so the codec avoids the usual
 * "encode to a stream, then copy out" path: {@link #encodeValue(BinlogRecord, byte[], int, int)}
 * encodes the small metadata prefix, then copies the event bytes once into an exactly sized array.
 * Because {@code events} is the schema's last field, that is byte-for-byte the Avro encoding of the
 * whole record. For the same reason a reader can take the events in place: {@link #decodeMetadata} reads
 * everything but them, {@link #eventsOffset} says where they start.
 *
 * <p>Not thread-safe: one codec per thread.
 */
public final class BinlogRecordCodec {
    private static final ByteBuffer NO_EVENTS = ByteBuffer.allocate(0);

    private final SpecificDatumWriter<BinlogKey> keyWriter = new SpecificDatumWriter<>(BinlogKey.class);
    private final SpecificDatumReader<BinlogKey> keyReader = new SpecificDatumReader<>(BinlogKey.class);
    private final SpecificDatumWriter<BinlogRecord> valueWriter = new SpecificDatumWriter<>(BinlogRecord.class);
    private final SpecificDatumReader<BinlogRecord> valueReader = new SpecificDatumReader<>(BinlogRecord.class);
    /** Reads every field but events, which the decoder skips instead of copying. */
    private final SpecificDatumReader<BinlogRecord> metadataReader =
            new SpecificDatumReader<>(BinlogRecord.SCHEMA$, withoutEvents(BinlogRecord.SCHEMA$));
    private final ExposedOutput scratch = new ExposedOutput();
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    public byte[] encodeKey(BinlogKey key) {
        scratch.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(scratch, encoder);
        try {
            keyWriter.write(key, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scratch.toByteArray();
    }

    public BinlogKey decodeKey(byte[] bytes) {
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        try {
            return keyReader.read(null, decoder);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a BinlogKey: " + e.getMessage(), e);
        }
    }

    /** Encodes a record whose events are already set on it. */
    public byte[] encodeValue(BinlogRecord record) {
        ByteBuffer events = record.getEvents();
        if (events == null || !events.hasArray()) {
            throw new IllegalArgumentException("record events must be a heap buffer");
        }
        return encodeValue(record, events.array(), events.arrayOffset() + events.position(), events.remaining());
    }

    /**
     * Encodes {@code record} with {@code events[off, off+len)} as its events field, copying the event
     * bytes exactly once. The record's own {@code events} field is ignored and left untouched.
     */
    public byte[] encodeValue(BinlogRecord record, byte[] events, int off, int len) {
        ByteBuffer saved = record.getEvents();
        record.setEvents(NO_EVENTS);
        scratch.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(scratch, encoder);
        try {
            valueWriter.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            record.setEvents(saved);
        }
        // The prefix ends with the zero-length varint (one 0x00 byte) of the empty events field.
        int prefix = scratch.size() - 1;
        int lengthBytes = zigZagVarLongSize(len);
        byte[] out = new byte[prefix + lengthBytes + len];
        System.arraycopy(scratch.buffer(), 0, out, 0, prefix);
        int p = writeZigZagVarLong(out, prefix, len);
        System.arraycopy(events, off, out, p, len);
        return out;
    }

    /** Decodes a whole value, copying its events into a new buffer. */
    public BinlogRecord decodeValue(byte[] bytes) {
        return decodeValue(bytes, 0, bytes.length);
    }

    public BinlogRecord decodeValue(byte[] bytes, int off, int len) {
        decoder = DecoderFactory.get().binaryDecoder(bytes, off, len, decoder);
        try {
            return valueReader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a BinlogRecord: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes every field of a value but its events (left null), without copying the event bytes: for
     * readers that take the events in place ({@link #eventsOffset}).
     */
    public BinlogRecord decodeMetadata(byte[] bytes) {
        return decodeMetadata(bytes, 0, bytes.length);
    }

    /** {@link #decodeMetadata(byte[])} of the value in {@code bytes[off, off+len)}. */
    public BinlogRecord decodeMetadata(byte[] bytes, int off, int len) {
        decoder = DecoderFactory.get().binaryDecoder(bytes, off, len, decoder);
        try {
            return metadataReader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a BinlogRecord: " + e.getMessage(), e);
        }
    }

    /**
     * Where the events of an encoded value start: the events field is last, so they run from here to the
     * end of the value. Found by skipping the fields before it as the schema says, without decoding them.
     */
    public static int eventsOffset(byte[] encodedValue) {
        return eventsOffset(encodedValue, 0, encodedValue.length);
    }

    /** {@link #eventsOffset(byte[])} of the value in {@code bytes[off, off+len)}, as an index into {@code bytes}. */
    public static int eventsOffset(byte[] bytes, int off, int len) {
        int[] pos = {off};
        int end = off + len;
        for (Schema.Field field : BinlogRecord.SCHEMA$.getFields()) {
            if (field.name().equals(EVENTS)) {
                long length = readZigZagVarLong(bytes, pos, end);
                if (pos[0] + length != end) {
                    throw new IllegalArgumentException("not a BinlogRecord: events of " + length + " bytes in " + (end - pos[0]));
                }
                return pos[0];
            }
            skip(field.schema(), bytes, pos, end);
        }
        throw new IllegalStateException("BinlogRecord has no events field");
    }

    private static void skip(Schema schema, byte[] b, int[] pos, int end) {
        switch (schema.getType()) {
            case NULL:
                return;
            case BOOLEAN:
                pos[0]++;
                return;
            case INT:
            case LONG:
            case ENUM:
                readZigZagVarLong(b, pos, end);
                return;
            case STRING:
            case BYTES:
                long length = readZigZagVarLong(b, pos, end);
                pos[0] += (int) length;
                return;
            case UNION:
                skip(schema.getTypes().get((int) readZigZagVarLong(b, pos, end)), b, pos, end);
                return;
            default:
                throw new IllegalStateException("BinlogRecord field of type " + schema.getType() + " is not expected");
        }
    }

    private static long readZigZagVarLong(byte[] b, int[] pos, int end) {
        long v = 0;
        int shift = 0;
        while (true) {
            if (pos[0] >= end) {
                throw new IllegalArgumentException("not a BinlogRecord: truncated");
            }
            int x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return (v >>> 1) ^ -(v & 1);
            }
            shift += 7;
        }
    }

    private static final String EVENTS = "events";

    private static Schema withoutEvents(Schema full) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : full.getFields()) {
            if (!f.name().equals(EVENTS)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
    }

    static int zigZagVarLongSize(long n) {
        long v = (n << 1) ^ (n >> 63);
        int size = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            size++;
        }
        return size;
    }

    static int writeZigZagVarLong(byte[] out, int pos, long n) {
        long v = (n << 1) ^ (n >> 63);
        while ((v & ~0x7FL) != 0) {
            out[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        return pos;
    }

    /** A ByteArrayOutputStream whose buffer can be read without a copy. */
    private static final class ExposedOutput extends java.io.ByteArrayOutputStream {
        ExposedOutput() {
            super(512);
        }

        byte[] buffer() {
            return buf;
        }

        @Override
        public synchronized byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }
}
