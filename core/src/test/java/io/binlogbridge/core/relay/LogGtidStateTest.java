package io.binlogbridge.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.ChecksumAlgorithm;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogGtidStateTest {
    private static final String P = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String R = "4a5b6c7d-0000-11e1-9e33-c80aa9429562";

    private static BinlogRecord record(RecordKind kind, int term, Flavor flavor, String gtid, String previous, boolean lastChunk) {
        return BinlogRecord.newBuilder()
                .setKind(kind).setTerm(term).setFlavor(flavor).setServerId(1).setServerUuid(null).setServerVersion("v")
                .setFile("binlog.000001").setStartPosition(4).setEndPosition(4).setGtid(gtid).setPreviousGtids(previous)
                .setEventCount(0).setEventTimestamp(0).setChecksum(ChecksumAlgorithm.CRC32).setChunk(0).setLastChunk(lastChunk)
                .setEvents(ByteBuffer.allocate(0)).build();
    }

    private static BinlogRecord header(int term, String previous) {
        return record(RecordKind.FILE_HEADER, term, Flavor.MYSQL, null, previous, true);
    }

    private static BinlogRecord termStart(int term, String state) {
        return record(RecordKind.TERM_START, term, Flavor.MYSQL, null, state, true);
    }

    private static BinlogRecord txn(String gtid) {
        return record(RecordKind.TRANSACTION, 1, Flavor.MYSQL, gtid, null, true);
    }

    private static LogGtidState scan(List<BinlogRecord> records) {
        LogGtidState.Scan scan = new LogGtidState.Scan();
        records.forEach(scan::accept);
        return scan.result();
    }

    @Test
    void newestHeaderPlusTheTransactionsAfterIt() {
        LogGtidState s = scan(List.of(header(1, P + ":1-10"), termStart(1, P + ":1-10"), txn(P + ":11"), txn(P + ":12"),
                record(RecordKind.EVENTS, 1, Flavor.MYSQL, null, null, true),
                header(1, P + ":1-12"), txn(P + ":13"), txn(P + ":14")));
        assertEquals(new LogGtidState(Flavor.MYSQL, P + ":1-14", null), s);
    }

    @Test
    void aTermStartAfterItsHeaderStatesWhatTheSourceSkipped() {
        // Term 2 began with a GTID dump: the new source's header says what it had at its file's start, the TERM_START
        // what the log held; the transactions after it are the ones the source did not skip.
        LogGtidState s = scan(List.of(header(1, P + ":1-5"), txn(P + ":6"),
                header(2, P + ":1-3"), termStart(2, P + ":1-6"), txn(P + ":7"), txn(R + ":1")));
        assertEquals(new LogGtidState(Flavor.MYSQL, P + ":1-7," + R + ":1", P + ":1-6"), s);
    }

    @Test
    void chunksCountOnceTheirTransactionIsComplete() {
        LogGtidState s = scan(List.of(header(1, P + ":1-5"),
                record(RecordKind.TRANSACTION, 1, Flavor.MYSQL, P + ":6", null, false),
                record(RecordKind.TRANSACTION, 1, Flavor.MYSQL, P + ":6", null, true),
                record(RecordKind.TRANSACTION, 1, Flavor.MYSQL, P + ":7", null, false)));
        assertEquals(P + ":1-6", s.text());
    }

    @Test
    void withoutAnyHeaderThereIsNoStateYet() {
        assertNull(scan(List.of(txn(P + ":6"))));
    }

    @Test
    void withoutGtidsTheStateIsEmpty() {
        LogGtidState s = scan(List.of(header(1, null), txn(null), txn(null)));
        assertEquals("", s.text());
    }

    @Test
    void mariaDbStateIsTheHighestSequencePerDomain() {
        LogGtidState s = scan(List.of(
                record(RecordKind.FILE_HEADER, 1, Flavor.MARIADB, null, "0-1-10,0-2-12,1-1-3", true),
                record(RecordKind.TRANSACTION, 1, Flavor.MARIADB, "0-1-13", null, true),
                record(RecordKind.TRANSACTION, 1, Flavor.MARIADB, "1-1-4", null, true)));
        assertEquals(new LogGtidState(Flavor.MARIADB, "0-1-13,1-1-4", null), s);
    }
}
