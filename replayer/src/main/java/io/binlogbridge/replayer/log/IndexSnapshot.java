package io.binlogbridge.replayer.log;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * Everything a {@link LogIndex} knows about the records before {@link #nextOffset}, in a versioned binary form: restored
 * at start-up, it spares the replayer reading those records again. Taken by {@link LogIndex#snapshot()}, applied by
 * {@link LogIndex#restore}; the restored index, fed the records from {@link #nextOffset} on, is the one a scan of the
 * whole topic from {@link #scanFrom} would have built.
 *
 * <p>Layout: magic, format version, then the deflated body (per file a few names and numbers, its header record and
 * its sparse position → offset entries as deltas: a few bytes per MiB of log).
 */
public final class IndexSnapshot {
    /** "BBIX". */
    private static final int MAGIC = 0x42424958;
    /** Bumped whenever the body changes: a replayer restores only the version it writes and scans otherwise. */
    public static final int FORMAT = 1;

    final long scanFrom;
    final long nextOffset;
    /** The key of the record at {@code nextOffset - 1}, as Kafka returned it: proves at restore that it is the same log. */
    final byte[] lastKey;
    final BinlogRecord latest;
    final String mysqlExecuted;
    final String mysqlPurged;
    final String mariaDbPosition;
    final boolean sawGtid;
    final String stateBeforeLog;
    final String mariaDbBeforeLog;
    /** Index into {@link #files} of the file the log is whole from; -1: none (from the first file's start). */
    final int wholeFrom;
    final long wholeFromPosition;
    final boolean unaccountedGap;
    final int purgedFiles;
    final int logFirstTerm;
    final List<FileState> files;

    IndexSnapshot(long scanFrom, long nextOffset, byte[] lastKey, BinlogRecord latest, String mysqlExecuted, String mysqlPurged,
            String mariaDbPosition, boolean sawGtid, String stateBeforeLog, String mariaDbBeforeLog, int wholeFrom, long wholeFromPosition,
            boolean unaccountedGap, int purgedFiles, int logFirstTerm, List<FileState> files) {
        this.scanFrom = scanFrom;
        this.nextOffset = nextOffset;
        this.lastKey = lastKey;
        this.latest = latest;
        this.mysqlExecuted = mysqlExecuted;
        this.mysqlPurged = mysqlPurged;
        this.mariaDbPosition = mariaDbPosition;
        this.sawGtid = sawGtid;
        this.stateBeforeLog = stateBeforeLog;
        this.mariaDbBeforeLog = mariaDbBeforeLog;
        this.wholeFrom = wholeFrom;
        this.wholeFromPosition = wholeFromPosition;
        this.unaccountedGap = unaccountedGap;
        this.purgedFiles = purgedFiles;
        this.logFirstTerm = logFirstTerm;
        this.files = files;
    }

    /** One {@link IndexedFile}'s state. */
    record FileState(int ordinal, int term, String name, String sourceName, BinlogRecord header, long firstOffset, long lastOffset,
            long size, long lastEventTime, long lastIndexedPosition, String termStartGtids, String rotateTarget, long[] positions,
            long[] offsets) {}

    /** The offset the index's scan of the topic began at: the topic's start then. */
    public long scanFrom() {
        return scanFrom;
    }

    /** The snapshot describes the records before this offset. */
    public long nextOffset() {
        return nextOffset;
    }

    /** The key of the record at {@code nextOffset() - 1}; null if the index was fed no keys. */
    public byte[] lastKey() {
        return lastKey == null ? null : lastKey.clone();
    }

    /** The topic offset of the first file's first record; -1 without files. */
    public long firstOffset() {
        return files.isEmpty() ? -1 : files.get(0).firstOffset();
    }

    public int fileCount() {
        return files.size();
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096 + files.size() * 512);
        try {
            DataOutputStream head = new DataOutputStream(bytes);
            head.writeInt(MAGIC);
            head.writeShort(FORMAT);
            head.flush();
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(uncloseable(bytes), deflater, 64 << 10))) {
                BinlogRecordCodec codec = new BinlogRecordCodec();
                writeVarLong(out, scanFrom);
                writeVarLong(out, nextOffset);
                writeBytes(out, lastKey);
                writeRecord(out, codec, latest);
                writeString(out, mysqlExecuted);
                writeString(out, mysqlPurged);
                writeString(out, mariaDbPosition);
                out.writeBoolean(sawGtid);
                writeString(out, stateBeforeLog);
                writeString(out, mariaDbBeforeLog);
                writeVarLong(out, wholeFrom + 1L);
                writeVarLong(out, wholeFromPosition);
                out.writeBoolean(unaccountedGap);
                writeVarLong(out, purgedFiles);
                writeVarLong(out, logFirstTerm);
                writeVarLong(out, files.size());
                for (FileState f : files) {
                    writeVarLong(out, f.ordinal());
                    writeVarLong(out, f.term());
                    writeString(out, f.name());
                    writeString(out, f.sourceName());
                    writeRecord(out, codec, f.header());
                    writeVarLong(out, f.firstOffset());
                    writeVarLong(out, f.lastOffset() - f.firstOffset());
                    writeVarLong(out, f.size());
                    writeVarLong(out, f.lastEventTime());
                    // -2^20 before the file's first sparse entry: zig-zag keeps it short.
                    writeZigZag(out, f.lastIndexedPosition());
                    writeString(out, f.termStartGtids());
                    writeString(out, f.rotateTarget());
                    writeVarLong(out, f.positions().length);
                    long position = 0;
                    long offset = f.firstOffset();
                    for (int i = 0; i < f.positions().length; i++) {
                        writeVarLong(out, f.positions()[i] - position);
                        writeZigZag(out, f.offsets()[i] - offset);
                        position = f.positions()[i];
                        offset = f.offsets()[i];
                    }
                }
            } finally {
                deflater.end();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #encode} wrote; IllegalArgumentException (its message says why) for anything else. */
    public static IndexSnapshot decode(byte[] bytes) {
        try {
            DataInputStream head = new DataInputStream(new ByteArrayInputStream(bytes));
            if (bytes.length < 6 || head.readInt() != MAGIC) {
                throw new IllegalArgumentException("not an index snapshot");
            }
            int format = head.readUnsignedShort();
            if (format != FORMAT) {
                throw new IllegalArgumentException("snapshot format " + format + ", this replayer reads format " + FORMAT);
            }
            try (DataInputStream in = new DataInputStream(new InflaterInputStream(head))) {
                BinlogRecordCodec codec = new BinlogRecordCodec();
                long scanFrom = readVarLong(in);
                long nextOffset = readVarLong(in);
                byte[] lastKey = readBytes(in);
                BinlogRecord latest = readRecord(in, codec);
                String mysqlExecuted = readString(in);
                String mysqlPurged = readString(in);
                String mariaDbPosition = readString(in);
                boolean sawGtid = in.readBoolean();
                String stateBeforeLog = readString(in);
                String mariaDbBeforeLog = readString(in);
                int wholeFrom = (int) readVarLong(in) - 1;
                long wholeFromPosition = readVarLong(in);
                boolean unaccountedGap = in.readBoolean();
                int purgedFiles = (int) readVarLong(in);
                int logFirstTerm = (int) readVarLong(in);
                int count = (int) readVarLong(in);
                List<FileState> files = new ArrayList<>(count);
                for (int n = 0; n < count; n++) {
                    int ordinal = (int) readVarLong(in);
                    int term = (int) readVarLong(in);
                    String name = readString(in);
                    String sourceName = readString(in);
                    BinlogRecord header = readRecord(in, codec);
                    long firstOffset = readVarLong(in);
                    long lastOffset = firstOffset + readVarLong(in);
                    long size = readVarLong(in);
                    long lastEventTime = readVarLong(in);
                    long lastIndexedPosition = readZigZag(in);
                    String termStartGtids = readString(in);
                    String rotateTarget = readString(in);
                    int entries = (int) readVarLong(in);
                    long[] positions = new long[entries];
                    long[] offsets = new long[entries];
                    long position = 0;
                    long offset = firstOffset;
                    for (int i = 0; i < entries; i++) {
                        position += readVarLong(in);
                        offset += readZigZag(in);
                        positions[i] = position;
                        offsets[i] = offset;
                    }
                    files.add(new FileState(ordinal, term, name, sourceName, header, firstOffset, lastOffset, size, lastEventTime,
                            lastIndexedPosition, termStartGtids, rotateTarget, positions, offsets));
                }
                if (wholeFrom >= count) {
                    throw new IllegalArgumentException("inconsistent snapshot: file " + wholeFrom + " of " + count);
                }
                return new IndexSnapshot(scanFrom, nextOffset, lastKey, latest, mysqlExecuted, mysqlPurged, mariaDbPosition, sawGtid,
                        stateBeforeLog, mariaDbBeforeLog, wholeFrom, wholeFromPosition, unaccountedGap, purgedFiles, logFirstTerm,
                        files);
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException("truncated index snapshot", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable index snapshot: " + e.getMessage(), e);
        }
    }

    private static OutputStream uncloseable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** A record with its events (null events: none kept, as the indexer keeps only headers' and EVENTS records'). */
    private static void writeRecord(DataOutputStream out, BinlogRecordCodec codec, BinlogRecord record) throws IOException {
        if (record == null) {
            out.writeByte(0);
            return;
        }
        ByteBuffer events = record.getEvents();
        out.writeByte(events == null ? 1 : 2);
        byte[] encoded;
        if (events == null) {
            encoded = codec.encodeValue(record, new byte[0], 0, 0);
        } else {
            byte[] copy = new byte[events.remaining()];
            events.duplicate().get(copy);
            encoded = codec.encodeValue(record, copy, 0, copy.length);
        }
        writeBytes(out, encoded);
    }

    private static BinlogRecord readRecord(DataInputStream in, BinlogRecordCodec codec) throws IOException {
        int kind = in.readUnsignedByte();
        if (kind == 0) {
            return null;
        }
        byte[] encoded = readBytes(in);
        if (kind == 1) {
            return codec.decodeMetadata(encoded);
        }
        return codec.decodeValue(encoded);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = readBytes(in);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Length + 1 (0: null), then the bytes. */
    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            writeVarLong(out, 0);
            return;
        }
        writeVarLong(out, b.length + 1L);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        long n = readVarLong(in) - 1;
        if (n < 0) {
            return null;
        }
        if (n > 1 << 30) {
            throw new IOException("field of " + n + " bytes");
        }
        byte[] b = new byte[(int) n];
        in.readFully(b);
        return b;
    }

    private static void writeZigZag(DataOutputStream out, long v) throws IOException {
        writeVarLong(out, (v << 1) ^ (v >> 63));
    }

    private static long readZigZag(DataInputStream in) throws IOException {
        long v = readVarLong(in);
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarLong(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarLong(InputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("malformed varint");
    }

    @Override
    public String toString() {
        return "IndexSnapshot[scanFrom=" + scanFrom + ", nextOffset=" + nextOffset + ", files=" + files.size() + ", lastKey="
                + (lastKey == null ? "null" : Arrays.toString(lastKey)) + "]";
    }
}
