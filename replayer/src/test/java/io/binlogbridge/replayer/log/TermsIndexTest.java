package io.binlogbridge.replayer.log;

import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.schemas.RecordKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One log across a source switch: the index presents a later term's files under names that continue the first term's. */
public class TermsIndexTest {
    public static final String UUID2 = "4e11fa47-71ca-11e1-9e33-c80aa9429563";
    /** A ROTATE naming binlog.00000N: 19 + 8 + 13 + 4. */
    public static final int ROTATE_BINLOG = 44;
    /** A ROTATE naming mysql-bin.00000N: 19 + 8 + 16 + 4. */
    static final int ROTATE_MYSQL_BIN = 47;

    /**
     * Term 1: binlog.000001-3 (GTIDs 1-4 of the first source). Term 2: the promoted replica's mysql-bin.000007, whose
     * header predates the switch (UUID:1-2); the source skipped UUID:3-4 (positions 197-1000, already in term 1),
     * then mysql-bin.000008.
     */
    public static TestLogs twoTerms() {
        return new TestLogs(Flavor.MYSQL)
                .header("binlog.000001", 197, "")
                .termStart("binlog.000001", 197, "")
                .transaction("binlog.000001", 197, 600, UUID + ":1")
                .rotate("binlog.000001", 600, "binlog.000002")
                .header("binlog.000002", 197, UUID + ":1")
                .transaction("binlog.000002", 197, 600, UUID + ":2")
                .rotate("binlog.000002", 600, "binlog.000003")
                .header("binlog.000003", 197, UUID + ":1-2")
                .transaction("binlog.000003", 197, 600, UUID + ":3")
                .transaction("binlog.000003", 600, 1000, UUID + ":4")
                .term(2, UUID2)
                .header("mysql-bin.000007", 197, UUID + ":1-2")
                .termStart("mysql-bin.000007", 197, UUID + ":1-4")
                .transaction("mysql-bin.000007", 1000, 1400, UUID2 + ":1")
                .rotate("mysql-bin.000007", 1400, "mysql-bin.000008")
                .header("mysql-bin.000008", 197, UUID + ":1-4," + UUID2 + ":1")
                .transaction("mysql-bin.000008", 197, 600, UUID2 + ":2");
    }

    @Test
    void showBinaryLogsListsEveryTermsFilesUnderIncreasingNames() {
        LogIndex index = twoTerms().index();
        assertEquals(List.of(
                new BinaryLog("binlog.000001", 600 + ROTATE_BINLOG, false),
                new BinaryLog("binlog.000002", 600 + ROTATE_BINLOG, false),
                new BinaryLog("binlog.000003", 1000, false),
                // Its ROTATE goes out naming binlog.000005, 3 bytes shorter than mysql-bin.000008.
                new BinaryLog("binlog.000004", 1400 + ROTATE_BINLOG, false),
                new BinaryLog("binlog.000005", 600, false)), index.binaryLogs());
        assertEquals(new BinlogPosition("binlog.000005", 600), index.currentPosition());
    }

    @Test
    void filesAreFoundByPresentedNameAndRecordsByTermAndSourceName() {
        LogIndex index = twoTerms().index();
        IndexedFile renamed = index.file("binlog.000004");
        assertEquals("mysql-bin.000007", renamed.sourceName());
        assertEquals(2, renamed.term());
        assertSame(renamed, index.file(2, "mysql-bin.000007"));
        assertNull(index.file("mysql-bin.000007"), "the source's name of a later term is not presented");
        assertNull(index.file(1, "mysql-bin.000007"));
        assertEquals(1400 + TermsIndexTest.ROTATE_MYSQL_BIN, index.size(renamed));
        assertEquals(1400 + ROTATE_BINLOG, index.presentedSize(renamed));
    }

    @Test
    void rotatesNameThePresentedNextFile() {
        LogIndex index = twoTerms().index();
        assertEquals("binlog.000002", index.rotateTarget(1, "binlog.000001", "binlog.000001", "binlog.000002"));
        assertEquals("binlog.000004", index.rotateTarget(1, "binlog.000003", "binlog.000003", "binlog.000004"));
        assertEquals("binlog.000004", index.rotateTarget(1, "binlog.000003", "binlog.000003", "binlog.000099"),
                "the old source's next file never came: the next term's first file follows");
        assertEquals("binlog.000005", index.rotateTarget(2, "mysql-bin.000007", "binlog.000004", "mysql-bin.000008"));
        // The newest file, whose next one the index does not hold yet: the rule, not a lookup.
        assertEquals("binlog.000006", index.rotateTarget(2, "mysql-bin.000008", "binlog.000005", "mysql-bin.000009"));
        assertEquals("binlog.000006", index.presentedName(2, "mysql-bin.000009", "binlog.000005"));
        assertEquals("binlog.000005", index.presentedName(2, "mysql-bin.000008", "whatever"));
    }

    @Test
    void aLaterTermsGapsAreNotHolesAndItsTermStartIsNotPurged() {
        LogIndex index = twoTerms().index();
        assertEquals("binlog.000001", index.logStart().file().name());
        assertEquals(4, index.logStart().position());
        assertEquals("", index.gtidPurged());
        assertEquals(MySqlGtidSet.parse(UUID + ":1-4," + UUID2 + ":1-2").toString(), index.gtidExecuted());
        assertEquals(UUID + ":1-4", index.file("binlog.000004").gtidsAtStart());
        assertEquals(UUID + ":1-2", index.file("binlog.000004").previousGtids());
    }

    @Test
    void theNewestSourceIsWhoTheReplayerSaysItIs() {
        LogIndex index = twoTerms().index();
        assertEquals(UUID2, index.identity().serverUuid());
        assertEquals(2, index.identity().serverId());
    }

    @Test
    void aNewSourceMayReuseTheNamesOfAnEarlierOne() {
        LogIndex index = new TestLogs(Flavor.MYSQL)
                .header("binlog.000001", 197, "")
                .transaction("binlog.000001", 197, 600, UUID + ":1")
                .rotate("binlog.000001", 600, "binlog.000002")
                .header("binlog.000002", 197, UUID + ":1")
                .transaction("binlog.000002", 197, 600, UUID + ":2")
                .term(2, UUID2)
                .header("binlog.000001", 197, "")
                .termStart("binlog.000001", 197, UUID + ":1-2")
                .transaction("binlog.000001", 700, 900, UUID2 + ":1")
                .rotate("binlog.000001", 900, "binlog.000002")
                .header("binlog.000002", 197, UUID + ":1-2," + UUID2 + ":1")
                .transaction("binlog.000002", 197, 500, UUID2 + ":2")
                .index();
        assertEquals(List.of("binlog.000001", "binlog.000002", "binlog.000003", "binlog.000004"),
                index.binaryLogs().stream().map(BinaryLog::name).toList());
        assertEquals(600, index.size(index.file(1, "binlog.000002")));
        assertEquals("binlog.000003", index.file(2, "binlog.000001").name());
        assertEquals(900 + ROTATE_BINLOG, index.presentedSize(index.file("binlog.000003")), "same length, same size");
        assertEquals(List.of(1, 1, 2, 2), index.files().stream().map(IndexedFile::term).toList());
    }

    @Test
    void aSwitchWithoutGtidsStartsWhereItWasToldWithoutMarkingAHole() {
        LogIndex index = new TestLogs(Flavor.MYSQL)
                .header("binlog.000001", 197, "")
                .add(RecordKind.EVENTS, "binlog.000001", 197, 300, null, null)
                .term(2, UUID2)
                .header("mysql-bin.000007", 197, "")
                .termStart("mysql-bin.000007", 5000, null)
                .add(RecordKind.EVENTS, "mysql-bin.000007", 5000, 5100, null, null)
                .index();
        assertEquals(List.of(new BinaryLog("binlog.000001", 300, false), new BinaryLog("binlog.000002", 5100, false)), index.binaryLogs());
        assertEquals(4, index.logStart().position());
        assertEquals("binlog.000001", index.logStart().file().name());
        assertEquals("", index.file("binlog.000002").gtidsAtStart());
    }
}
