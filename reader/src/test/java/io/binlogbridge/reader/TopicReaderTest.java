package io.binlogbridge.reader;

import static io.binlogbridge.reader.FakeLog.UUID;
import static io.binlogbridge.reader.FakeLog.gtids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader's walk of the log over a MockConsumer: starts, GTID skipping, chunks, positions, file names across terms. */
class TopicReaderTest {
    private static final Duration WAIT = Duration.ofMillis(50);

    /** Term 1 began after uuid:1-2; binlog.000001 holds 3, 4 (in three chunks), 5; binlog.000002 holds 6. */
    private static FakeLog twoFiles() {
        return new FakeLog()
                .header("binlog.000001", "").termStart("binlog.000001", 126, UUID + ":1-2")
                .transaction("binlog.000001", 126, 100, 3, 1_700_000_000L)
                .chunked("binlog.000001", 226, 50, 3, 4)
                .transaction("binlog.000001", 376, 100, 5, 1_700_000_010L)
                .rotate("binlog.000001", 476)
                .header("binlog.000002", UUID + ":1-5")
                .transaction("binlog.000002", 126, 100, 6, 1_700_000_020L);
    }

    private static List<Transaction> readAll(TopicReader reader) {
        List<Transaction> all = new ArrayList<>();
        for (List<Transaction> got = reader.poll(WAIT); !got.isEmpty(); got = reader.poll(WAIT)) {
            all.addAll(got);
        }
        return all;
    }

    @Test
    void fromTheBeginningEveryTransactionOnceWithItsPlaceAndBytes() {
        FakeLog log = twoFiles();
        try (TopicReader reader = log.reader(StartPosition.beginning())) {
            List<Transaction> all = readAll(reader);
            assertEquals(List.of(UUID + ":3", UUID + ":4", UUID + ":5", UUID + ":6"), gtids(all));
            Transaction chunked = all.get(1);
            assertEquals("binlog.000001", chunked.file());
            assertEquals(226, chunked.startPosition());
            assertEquals(376, chunked.endPosition());
            assertEquals(150, chunked.size());
            byte[] raw = new byte[150];
            chunked.rawEvents().get(raw);
            byte[] expected = new byte[150];
            System.arraycopy(FakeLog.bytes(50, 4), 0, expected, 0, 50);
            System.arraycopy(FakeLog.bytes(50, 5), 0, expected, 50, 50);
            System.arraycopy(FakeLog.bytes(50, 6), 0, expected, 100, 50);
            assertArrayEquals(expected, raw, "chunks joined in order");
            assertEquals("binlog.000002", all.get(3).file());
            assertEquals(Instant.ofEpochSecond(1_700_000_020L), all.get(3).timestamp());
            ReaderPosition p = ((StartPosition.Resume) reader.position()).position();
            assertEquals(log.nextOffset(), p.offset());
            assertEquals(UUID + ":1-6", p.gtids(), "what the log never held and what was read");
        }
    }

    @Test
    void aGtidStartSkipsExactlyWhatTheSetContains() {
        FakeLog log = twoFiles();
        try (TopicReader reader = log.reader(StartPosition.gtidSet(UUID + ":1-3:5"))) {
            assertEquals(List.of(UUID + ":4", UUID + ":6"), gtids(readAll(reader)));
        }
    }

    @Test
    void aGtidStartTheLogBeginsAfterIsRefused() {
        FakeLog log = twoFiles();
        try (TopicReader reader = log.reader(StartPosition.gtidSet(UUID + ":1"))) {
            MissingHistoryException e = assertThrows(MissingHistoryException.class, () -> reader.poll(WAIT));
            assertTrue(e.getMessage().contains(UUID + ":1-2"), e.getMessage());
        }
    }

    @Test
    void aFilePositionStartBeginsAtTheTransactionThere() {
        FakeLog log = twoFiles();
        try (TopicReader reader = log.reader(StartPosition.filePosition("binlog.000001", 226))) {
            assertEquals(List.of(UUID + ":4", UUID + ":5", UUID + ":6"), gtids(readAll(reader)));
            assertEquals(UUID + ":1-6", ((StartPosition.Resume) reader.position()).position().gtids());
        }
        try (TopicReader reader = log.reader(StartPosition.filePosition("binlog.000001", 476))) {
            assertEquals(List.of(UUID + ":6"), gtids(readAll(reader)), "the end of a file: the next file's transactions");
        }
    }

    @Test
    void aFilePositionTheLogDoesNotHoldIsRefused() {
        FakeLog log = twoFiles();
        try (TopicReader reader = log.reader(StartPosition.filePosition("binlog.000001", 300))) {
            assertThrows(StartNotFoundException.class, () -> readAll(reader), "inside the chunked transaction");
        }
        try (TopicReader reader = log.reader(StartPosition.filePosition("binlog.000000", 4))) {
            assertThrows(StartNotFoundException.class, () -> readAll(reader), "a file before the log's first");
        }
    }

    @Test
    void aTimestampStartBeginsAtTheFirstTransactionThatLate() {
        FakeLog log = twoFiles();
        try (TopicReader reader = log.reader(StartPosition.timestamp(Instant.ofEpochSecond(1_700_000_005L)))) {
            assertEquals(List.of(UUID + ":5", UUID + ":6"), gtids(readAll(reader)));
        }
    }

    @Test
    void aPositionTakenBeforeTheStartIsTheStartItself() {
        FakeLog log = new FakeLog().header("binlog.000001", "").transaction("binlog.000001", 126, 100, 1, 1_600_000_000L);
        try (TopicReader reader = log.reader(StartPosition.timestamp(Instant.ofEpochSecond(1_700_000_000L)))) {
            assertTrue(readAll(reader).isEmpty());
            assertEquals(StartPosition.timestamp(Instant.ofEpochSecond(1_700_000_000L)), reader.position(),
                    "resuming from a skipped transaction would return transactions before the start");
        }
    }

    @Test
    void resumingContinuesWithNothingLostOrRepeatedAndNamesLaterTermsFiles() {
        FakeLog log = twoFiles();
        String saved;
        try (TopicReader reader = log.reader(StartPosition.beginning())) {
            readAll(reader);
            saved = reader.position().toString();
        }
        log.term = 2;
        log.header("binlog.000001", UUID + ":1-6").termStart("binlog.000001", 126, UUID + ":1-6")
                .transaction("binlog.000001", 126, 100, 7, 1_700_000_030L);
        try (TopicReader reader = log.reader(StartPosition.parse(saved))) {
            List<Transaction> rest = readAll(reader);
            assertEquals(List.of(UUID + ":7"), gtids(rest));
            assertEquals("binlog.000003", rest.get(0).file(), "a later term's file continues the presented names");
            assertEquals("binlog.000001", rest.get(0).sourceFile());
            assertEquals(2, rest.get(0).term());
        }
        try (TopicReader reader = log.reader(StartPosition.filePosition("binlog.000003", 126))) {
            assertEquals(List.of(UUID + ":7"), gtids(readAll(reader)), "a start at a presented name of a later term");
        }
    }

    @Test
    void aPositionTakenWhileATransactionIsHalfReadResumesAtItsFirstChunk() {
        FakeLog log = new FakeLog().header("binlog.000001", "").transaction("binlog.000001", 126, 100, 1, 1_700_000_000L)
                .chunk("binlog.000001", 226, 50, 0, false, 2);
        String saved;
        try (TopicReader reader = log.reader(StartPosition.beginning())) {
            assertEquals(List.of(UUID + ":1"), gtids(readAll(reader)));
            assertEquals(2, ((StartPosition.Resume) reader.position()).position().offset(),
                    "the first chunk's offset, so the whole transaction is read again");
            saved = reader.position().toString();
        }
        log.chunk("binlog.000001", 226, 50, 1, true, 2);
        try (TopicReader reader = log.reader(StartPosition.parse(saved))) {
            List<Transaction> rest = readAll(reader);
            assertEquals(List.of(UUID + ":2"), gtids(rest));
            assertEquals(100, rest.get(0).size());
        }
    }
}
