package io.binlogbridge.replayer.log;

import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static io.binlogbridge.replayer.log.TermsIndexTest.UUID2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.Flavor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An index restored from a snapshot and fed the records after it is the index a scan of the whole log builds: for every
 * place a snapshot could be taken, in logs with several files and terms, GTID states, a log started mid-history, a
 * MariaDB log, and an index whose start a purge moved.
 */
public class IndexSnapshotTest {
    /** Two terms, then a file of the second term large enough for sparse position entries (one per MiB). */
    public static TestLogs mysqlLog() {
        TestLogs logs = TermsIndexTest.twoTerms().at(1_700_000_000L);
        long position = 600;
        for (int i = 3; i < 40; i++) {
            long end = position + 300_000 + i;
            logs.transaction("mysql-bin.000008", position, end, UUID2 + ":" + i);
            position = end;
        }
        return logs.rotate("mysql-bin.000008", position, "mysql-bin.000009")
                .header("mysql-bin.000009", 197, UUID + ":1-4," + UUID2 + ":1-39")
                .transaction("mysql-bin.000009", 197, 900, UUID2 + ":40");
    }

    /** A log a relay started in the middle of the source's history: it never held UUID:1-100. */
    public static TestLogs startedMidHistory() {
        return new TestLogs(Flavor.MYSQL)
                .header("binlog.000004", 197, UUID + ":1-90")
                .termStart("binlog.000004", 5000, UUID + ":1-100")
                .transaction("binlog.000004", 5000, 5400, UUID + ":101")
                .rotate("binlog.000004", 5400, "binlog.000005")
                .header("binlog.000005", 197, UUID + ":1-101")
                .transaction("binlog.000005", 197, 700, UUID + ":102");
    }

    public static TestLogs mariaDbLog() {
        return new TestLogs(Flavor.MARIADB)
                .header("mariadb-bin.000001", 256, "0-1-10")
                .termStart("mariadb-bin.000001", 256, "0-1-10")
                .transaction("mariadb-bin.000001", 256, 700, "0-1-11")
                .transaction("mariadb-bin.000001", 700, 1100, "1-1-5")
                .rotate("mariadb-bin.000001", 1100, "mariadb-bin.000002")
                .header("mariadb-bin.000002", 256, "0-1-11,1-1-5")
                .transaction("mariadb-bin.000002", 256, 900, "0-1-12");
    }

    @Test
    void aSnapshotRoundTripsThroughItsBinaryForm() {
        LogIndex index = scan(mysqlLog().records(), 0, Integer.MAX_VALUE, null);
        IndexSnapshot snapshot = index.snapshot();
        byte[] bytes = snapshot.encode();
        IndexSnapshot decoded = IndexSnapshot.decode(bytes);
        assertArrayEquals(bytes, decoded.encode());
        assertEquals(index.nextOffset(), decoded.nextOffset());
        assertEquals(6, decoded.fileCount());
        assertArrayEquals(key(index.nextOffset() - 1), decoded.lastKey());
        // Compact: tens of bytes a file, not the log's size (about 11 MB here).
        assertTrue(bytes.length < 4096, bytes.length + " bytes");
    }

    @Test
    void snapshotAndTailEqualAFullScanAtEverySplit() {
        for (TestLogs logs : List.of(mysqlLog(), startedMidHistory(), mariaDbLog())) {
            List<BinlogRecord> records = logs.records();
            LogIndex full = scan(records, 0, records.size(), null);
            byte[] expected = full.snapshot().encode();
            for (int split = 1; split < records.size(); split++) {
                LogIndex head = scan(records, 0, split, null);
                LogIndex restored = scan(records, split, records.size(), IndexSnapshot.decode(head.snapshot().encode()));
                assertArrayEquals(expected, restored.snapshot().encode(), "split at " + split);
                assertSameAnswers(full, restored);
            }
        }
    }

    @Test
    void aPurgedStartIsPartOfTheSnapshot() {
        List<BinlogRecord> records = mysqlLog().records();
        LogIndex full = scan(records, 0, records.size(), null);
        // The topic now starts at binlog.000003's header (offset 7).
        full.startMovedTo(7);
        assertFalse(full.matchesScan(), "a purge while running makes the index differ from a scan of what is left");
        LogIndex restored = scan(records, records.size(), records.size(), IndexSnapshot.decode(full.snapshot().encode()));
        assertSameAnswers(full, restored);
        assertEquals("binlog.000003", restored.binaryLogs().get(0).name());
        assertEquals(UUID + ":1-2", restored.gtidPurged());
        // What the restored index is asked later behaves as in the original: its next purge goes on from there.
        full.startMovedTo(10);
        restored.startMovedTo(10);
        assertSameAnswers(full, restored);
    }

    @Test
    void anotherFormatOrDamagedBytesAreRefusedWithAReason() {
        byte[] bytes = scan(mariaDbLog().records(), 0, Integer.MAX_VALUE, null).snapshot().encode();
        byte[] otherFormat = bytes.clone();
        otherFormat[5] = 99;
        assertEquals("snapshot format 99, this replayer reads format 1",
                assertThrows(IllegalArgumentException.class, () -> IndexSnapshot.decode(otherFormat)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> IndexSnapshot.decode(Arrays.copyOf(bytes, bytes.length / 2)));
        assertEquals("not an index snapshot",
                assertThrows(IllegalArgumentException.class, () -> IndexSnapshot.decode("BBIH....".getBytes(StandardCharsets.US_ASCII)))
                        .getMessage());
    }

    @Test
    void restoringIntoAnIndexWithRecordsIsRefused() {
        List<BinlogRecord> records = mariaDbLog().records();
        IndexSnapshot snapshot = scan(records, 0, 3, null).snapshot();
        LogIndex busy = scan(records, 0, 1, null);
        assertThrows(IllegalStateException.class, () -> busy.restore(snapshot));
    }

    /** Applies records[from, to) (record i at offset i, its key "key-i"), after restoring {@code snapshot} if given. */
    private static LogIndex scan(List<BinlogRecord> records, int from, int to, IndexSnapshot snapshot) {
        return scan(new LogIndex(null, records.get(0).getFlavor()), records, from, to, snapshot);
    }

    /** As {@link #scan(List, int, int, IndexSnapshot)}, into {@code index} (made as its user makes it). */
    public static LogIndex scan(LogIndex index, List<BinlogRecord> records, int from, int to, IndexSnapshot snapshot) {
        if (snapshot != null) {
            index.restore(snapshot);
        }
        for (int i = from; i < Math.min(to, records.size()); i++) {
            index.apply(i, key(i), records.get(i));
        }
        index.markReady();
        return index;
    }

    private static byte[] key(long offset) {
        return ("key-" + offset).getBytes(StandardCharsets.UTF_8);
    }

    public static void assertSameAnswers(LogIndex expected, LogIndex actual) {
        assertEquals(expected.binaryLogs(), actual.binaryLogs());
        assertEquals(expected.currentPosition(), actual.currentPosition());
        assertEquals(expected.gtidExecuted(), actual.gtidExecuted());
        assertEquals(expected.gtidPurged(), actual.gtidPurged());
        assertEquals(expected.identity(), actual.identity());
        assertEquals(expected.mariaDbStateBeforeLog(), actual.mariaDbStateBeforeLog());
        assertEquals(expected.firstOffset(), actual.firstOffset());
        assertEquals(expected.nextOffset(), actual.nextOffset());
        LogIndex.LogStart a = expected.logStart();
        LogIndex.LogStart b = actual.logStart();
        assertEquals(a.file() == null ? null : a.file().name(), b.file() == null ? null : b.file().name());
        assertEquals(a.position(), b.position());
        assertEquals(a.gtidStateKnown(), b.gtidStateKnown());
        List<IndexedFile> files = expected.files();
        assertEquals(files.size(), actual.files().size());
        for (IndexedFile f : files) {
            IndexedFile g = actual.file(f.name());
            assertEquals(f.firstOffset(), g.firstOffset(), f.name());
            assertEquals(f.headerOffset(), g.headerOffset(), f.name());
            assertEquals(f.lastEventTime(), g.lastEventTime(), f.name());
            assertEquals(f.header(), g.header(), f.name());
            assertEquals(expected.presentedSize(f), actual.presentedSize(g), f.name());
            for (long p = 0; p < f.size(); p += 250_000) {
                assertEquals(f.offsetAtOrBefore(p), g.offsetAtOrBefore(p), f.name() + " at " + p);
            }
            assertEquals(expected.rotateTarget(f.term(), f.sourceName(), f.name(), "x"), actual.rotateTarget(g.term(), g.sourceName(), g.name(), "x"));
        }
    }
}
