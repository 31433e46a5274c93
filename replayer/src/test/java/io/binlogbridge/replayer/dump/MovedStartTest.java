package io.binlogbridge.replayer.dump;

import static io.binlogbridge.replayer.log.TermsIndexTest.UUID2;
import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.TermsIndexTest;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.replayer.server.DumpSettings;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.schemas.Flavor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log's start moves when records are deleted from the topic's head (PURGE BINARY LOGS here or on another replayer):
 * the index drops the purged files, gtid_purged grows to the first remaining file's start, and dumps that need purged
 * history are refused as MySQL refuses them. {@link TermsIndexTest#twoTerms()}: record i is at offset i.
 */
class MovedStartTest {
    private static final DumpSettings MYSQL = new DumpSettings(null, "CRC32", null, null, null, false, false, false);

    @Test
    void purgedFilesLeaveTheIndexAndGtidPurgedGrowsToTheFirstRemainingFilesHeader() throws Exception {
        LogIndex index = TermsIndexTest.twoTerms().index();
        IndexedFile second = index.file("binlog.000002");
        List<IndexedFile> dropped = index.startMovedTo(second.firstOffset());
        assertEquals(List.of("binlog.000001"), dropped.stream().map(IndexedFile::name).toList());
        assertEquals("binlog.000002", index.binaryLogs().get(0).name());
        assertEquals(4, index.binaryLogs().size());
        assertNull(index.file("binlog.000001"));
        assertNull(index.file(1, "binlog.000001"));
        assertEquals(UUID + ":1", index.gtidPurged());
        assertEquals(second.firstOffset(), index.firstOffset());
        // Names and rotates of what remains do not change.
        assertEquals("binlog.000004", index.rotateTarget(1, "binlog.000003", "binlog.000003", "binlog.000004"));
        assertEquals("binlog.000005", index.rotateTarget(2, "mysql-bin.000007", "binlog.000004", "mysql-bin.000008"));
    }

    @Test
    void dumpsNeedingPurgedHistoryAreRefusedAsMySqlRefusesThem() throws Exception {
        LogIndex index = TermsIndexTest.twoTerms().index();
        index.startMovedTo(index.file("binlog.000003").firstOffset());
        DumpPlanner planner = new DumpPlanner(index);
        DumpRefusedException byFile = assertThrows(DumpRefusedException.class, () -> planner.plan(positionDump("binlog.000002", 4)));
        assertEquals("Could not find first log file name in binary log index file", byFile.getMessage());
        DumpRefusedException byGtid = assertThrows(DumpRefusedException.class, () -> planner.plan(gtidDump(UUID + ":1")));
        assertTrue(byGtid.getMessage().startsWith("Cannot replicate because the master purged required binary logs."), byGtid.getMessage());
        assertTrue(byGtid.getMessage().endsWith("the missing transactions are '" + UUID + ":2'."), byGtid.getMessage());
        // A replica already past the purged files goes on where it was.
        assertEquals("binlog.000003", planner.plan(gtidDump(UUID + ":1-2")).file().name());
        assertEquals("binlog.000003", planner.plan(positionDump("binlog.000003", 197)).file().name());
        assertEquals("binlog.000003", planner.plan(positionDump("", 4)).file().name(), "an empty file name starts at the log's start");
    }

    @Test
    void purgingToALaterTermsFirstFileKeepsThePresentedNamesAndTakesItsSwitchState() {
        TestLogs logs = TermsIndexTest.twoTerms();
        LogIndex index = logs.index();
        index.startMovedTo(index.file("binlog.000004").firstOffset());
        assertEquals(List.of(new BinaryLog("binlog.000004", 1400 + TermsIndexTest.ROTATE_BINLOG, false),
                new BinaryLog("binlog.000005", 600, false)), index.binaryLogs());
        // The TERM_START's state, not the new source's older header set.
        assertEquals(MySqlGtidSet.parse(UUID + ":1-4"), MySqlGtidSet.parse(index.gtidPurged()));
        // The log goes on under names that continue the sequence.
        logs.rotate("mysql-bin.000008", 600, "mysql-bin.000009").header("mysql-bin.000009", 197, UUID + ":1-4," + UUID2 + ":1-2");
        assertEquals("binlog.000006", index.binaryLogs().get(2).name());
    }

    @Test
    void theFileBeingWrittenStaysAndAStartInsideAFileDropsThatFile() {
        LogIndex index = TermsIndexTest.twoTerms().index();
        IndexedFile last = index.file("binlog.000005");
        assertEquals(List.of(), index.startMovedTo(index.file("binlog.000001").firstOffset()), "the start did not move past a file");
        // Records deleted up to the middle of binlog.000002: it is no longer whole, so it goes too.
        index.startMovedTo(index.file("binlog.000002").firstOffset() + 1);
        assertEquals("binlog.000003", index.binaryLogs().get(0).name());
        index.startMovedTo(Long.MAX_VALUE);
        assertEquals(List.of(last), index.files());
    }

    private static DumpRequest gtidDump(String set) {
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP_GTID, "", 4, 2, MySqlConstants.BINLOG_THROUGH_GTID,
                MySqlGtidSet.parse(set).encode(), MYSQL);
    }

    private static DumpRequest positionDump(String file, long position) {
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP, file, position, 2, 0, null, MYSQL);
    }
}
