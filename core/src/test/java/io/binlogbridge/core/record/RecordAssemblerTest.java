package io.binlogbridge.core.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.BinlogFormatException;
import io.binlogbridge.core.gtid.PreviousGtids;
import io.binlogbridge.schemas.BinlogKey;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.BinlogRecordCodec;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordAssemblerTest {
    private static final SourceIdentity SOURCE = new SourceIdentity(Flavor.MYSQL, 7, "10111213-1415-1617-1819-1a1b1c1d1e1f", "8.0.15-log");
    private final List<OutgoingRecord> out = new ArrayList<>();
    private final BinlogRecordCodec codec = new BinlogRecordCodec();

    private RecordAssembler assembler(int chunkSize) {
        RecordAssembler a = new RecordAssembler(SOURCE, 1, chunkSize, BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32,
                PreviousGtids::format, out::add);
        a.startAt("binlog.000001", 4);
        return a;
    }

    private static void feed(RecordAssembler a, byte[]... events) throws Exception {
        for (byte[] e : events) {
            int at = a.buffer().size();
            a.buffer().append(e, 0, e.length);
            a.onEvent(at, e.length);
        }
    }

    private byte[] concatenatedEvents() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(BinlogConstants.BINLOG_MAGIC, 0, 4);
        for (OutgoingRecord r : out) {
            BinlogRecord v = codec.decodeValue(r.value());
            ByteBuffer e = v.getEvents();
            all.write(e.array(), e.arrayOffset() + e.position(), e.remaining());
        }
        return all.toByteArray();
    }

    @Test
    void headerTransactionsAndRotateBecomeRecordsThatRebuildTheFile() throws Exception {
        TestEvents ev = new TestEvents();
        RecordAssembler a = assembler(1 << 20);
        feed(a, ev.fakeRotate("binlog.000001", 4), ev.formatDescription(), ev.previousGtids(), ev.heartbeat(),
                ev.gtid(1), ev.query("BEGIN"), ev.rows(100), ev.xid(),
                ev.gtid(2), ev.query("CREATE TABLE t (a int)"),
                ev.gtid(3), ev.query("BEGIN"), ev.rows(10), ev.query("COMMIT"),
                ev.rotate("binlog.000002"));
        assertEquals(List.of(RecordKind.FILE_HEADER, RecordKind.TRANSACTION, RecordKind.TRANSACTION, RecordKind.TRANSACTION, RecordKind.EVENTS),
                out.stream().map(OutgoingRecord::kind).toList());
        assertTrue(out.stream().allMatch(OutgoingRecord::commitPoint));
        assertArrayEquals(ev.file.toByteArray(), concatenatedEvents());
        BinlogRecord first = codec.decodeValue(out.get(1).value());
        assertEquals("10111213-1415-1617-1819-1a1b1c1d1e1f:1", first.getGtid());
        assertEquals(4, first.getEventCount());
        assertEquals("", codec.decodeValue(out.get(0).value()).getPreviousGtids());
        assertEquals("10111213-1415-1617-1819-1a1b1c1d1e1f:2", codec.decodeValue(out.get(2).value()).getGtid());
        assertEquals("binlog.000002", a.file());
        assertEquals(4, a.position());
        // Positions chain: each record starts where the previous ended.
        long expected = 4;
        for (OutgoingRecord r : out) {
            assertEquals(expected, r.startPosition());
            expected = r.endPosition();
        }
    }

    @Test
    void bigTransactionIsChunkedAndOnlyItsLastChunkIsACommitPoint() throws Exception {
        TestEvents ev = new TestEvents();
        RecordAssembler a = assembler(4096);
        feed(a, ev.fakeRotate("binlog.000001", 4), ev.formatDescription(), ev.previousGtids(), ev.gtid(1), ev.query("BEGIN"));
        for (int i = 0; i < 10; i++) {
            feed(a, ev.rows(3000));
        }
        feed(a, ev.rows(20_000), ev.xid());
        List<OutgoingRecord> chunks = out.subList(1, out.size());
        assertTrue(chunks.size() > 5);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < chunks.size(); i++) {
            OutgoingRecord r = chunks.get(i);
            assertTrue(r.eventBytes() <= 4096);
            assertEquals(i == chunks.size() - 1, r.commitPoint());
            BinlogKey key = codec.decodeKey(r.key());
            assertEquals(i, key.getChunk());
            assertTrue(keys.add(key.toString()), "keys are unique");
            assertEquals(i == chunks.size() - 1, codec.decodeValue(r.value()).getLastChunk());
        }
        int events = chunks.stream().mapToInt(r -> codec.decodeValue(r.value()).getEventCount()).sum();
        assertEquals(14, events);
        assertArrayEquals(ev.file.toByteArray(), concatenatedEvents());
    }

    @Test
    void resumingMidFileDropsTheResentFormatDescription() throws Exception {
        TestEvents ev = new TestEvents();
        ev.formatDescription();
        ev.previousGtids();
        ev.gtid(1);
        ev.query("BEGIN");
        ev.xid();
        long resumeAt = ev.position;
        RecordAssembler a = new RecordAssembler(SOURCE, 1, 1 << 20, BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32, PreviousGtids::format, out::add);
        a.startAt("binlog.000001", resumeAt);
        TestEvents resent = new TestEvents();
        feed(a, ev.fakeRotate("binlog.000001", resumeAt), resent.formatDescription(true));
        feed(a, ev.gtid(2), ev.query("BEGIN"), ev.xid());
        assertEquals(1, out.size());
        assertEquals(resumeAt, out.get(0).startPosition());
        assertFalse(a.inTransaction());
    }

    @Test
    void corruptedEventIsRefused() throws Exception {
        TestEvents ev = new TestEvents();
        RecordAssembler a = assembler(1 << 20);
        feed(a, ev.fakeRotate("binlog.000001", 4), ev.formatDescription(), ev.previousGtids());
        byte[] bad = ev.gtid(1);
        bad[25] ^= 1;
        assertThrows(BinlogFormatException.class, () -> feed(a, bad));
        assertFalse(out.isEmpty());
    }

    @Test
    void aTermOpenedAfterTheNextHeaderFollowsItWithTheStateItWasGiven() throws Exception {
        TestEvents ev = new TestEvents();
        RecordAssembler a = assembler(1 << 20);
        a.startTermAfterNextHeader("10111213-1415-1617-1819-1a1b1c1d1e1f:1-5");
        feed(a, ev.fakeRotate("binlog.000001", 4), ev.formatDescription(), ev.previousGtids());
        long headerEnd = ev.position;
        feed(a, ev.gtid(6), ev.query("BEGIN"), ev.xid());
        assertEquals(List.of(RecordKind.FILE_HEADER, RecordKind.TERM_START, RecordKind.TRANSACTION),
                out.stream().map(OutgoingRecord::kind).toList());
        assertFalse(out.get(0).commitPoint(), "the header is committed together with its TERM_START");
        OutgoingRecord start = out.get(1);
        assertEquals(headerEnd, start.startPosition());
        assertEquals(headerEnd, start.endPosition());
        assertTrue(start.commitPoint());
        BinlogRecord v = codec.decodeValue(start.value());
        assertEquals("10111213-1415-1617-1819-1a1b1c1d1e1f:1-5", v.getPreviousGtids());
        assertEquals(0, v.getEvents().remaining());
        assertTrue(v.getLastChunk());
        assertEquals(new BinlogKey(1, "binlog.000001", headerEnd, 0, RecordKind.TERM_START), codec.decodeKey(start.key()));
        // The events still rebuild the file: TERM_START adds none.
        assertArrayEquals(ev.file.toByteArray(), concatenatedEvents());
        // Only once: the next file's header is not followed by another.
        feed(a, ev.rotate("binlog.000002"));
        TestEvents next = new TestEvents();
        feed(a, next.fakeRotate("binlog.000002", 4), next.formatDescription(), next.previousGtids());
        assertEquals(1, out.stream().filter(r -> r.kind() == RecordKind.TERM_START).count());
    }

    @Test
    void aTermOpenedAtAFileStartTakesTheHeadersOwnState() throws Exception {
        TestEvents ev = new TestEvents();
        RecordAssembler a = assembler(1 << 20);
        a.startTermAfterNextHeader(null);
        feed(a, ev.fakeRotate("binlog.000001", 4), ev.formatDescription(), ev.previousGtids());
        assertEquals(RecordKind.TERM_START, out.get(1).kind());
        assertEquals(codec.decodeValue(out.get(0).value()).getPreviousGtids(), codec.decodeValue(out.get(1).value()).getPreviousGtids());
    }

    @Test
    void aTermOpenedMidFileIsWrittenAtOnceWhereTheLogBegins() throws Exception {
        RecordAssembler a = new RecordAssembler(SOURCE, 1, 1 << 20, BinlogConstants.BINLOG_CHECKSUM_ALG_CRC32, PreviousGtids::format, out::add);
        a.startAt("binlog.000003", 5000);
        a.startTermAt("binlog.000003", 5000, "10111213-1415-1617-1819-1a1b1c1d1e1f:1-256");
        assertEquals(1, out.size());
        BinlogRecord v = codec.decodeValue(out.get(0).value());
        assertEquals(RecordKind.TERM_START, v.getKind());
        assertEquals("binlog.000003", v.getFile());
        assertEquals(5000, v.getStartPosition());
        assertEquals("10111213-1415-1617-1819-1a1b1c1d1e1f:1-256", v.getPreviousGtids());
        // The relay resumes right after it when the log holds nothing more.
        ResumePoint resume = ResumePoint.after(v);
        assertEquals("binlog.000003", resume.file());
        assertEquals(5000, resume.position());
    }
}
