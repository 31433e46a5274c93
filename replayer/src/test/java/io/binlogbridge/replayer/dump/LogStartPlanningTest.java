package io.binlogbridge.replayer.dump;

import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.replayer.server.DumpSettings;
import io.binlogbridge.schemas.Flavor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log that does not start at the source's first transaction says so, and refuses dumps that need what it never held. */
class LogStartPlanningTest {
    private static final DumpSettings MYSQL = new DumpSettings(null, "CRC32", null, null, null, false, false, false);

    /** MySQL: GTIDs 1-206 before binlog.000003, 207-256 inside it before 5000, where the relay started (--start latest). */
    private static LogIndex startedMidFile() {
        return new TestLogs(Flavor.MYSQL)
                .header("binlog.000003", 197, UUID + ":1-206")
                .termStart("binlog.000003", 5000, UUID + ":1-256")
                .transaction("binlog.000003", 5000, 5400, UUID + ":257")
                .transaction("binlog.000003", 5400, 5800, UUID + ":258")
                .index();
    }

    @Test
    void gtidPurgedIsEverythingBeforeTheLogsFirstTransaction() {
        LogIndex index = startedMidFile();
        assertEquals(UUID + ":1-256", index.gtidPurged());
        assertEquals(UUID + ":1-258", index.gtidExecuted());
        assertEquals("binlog.000003", index.logStart().file().name());
        assertEquals(5000, index.logStart().position());
    }

    @Test
    void aReplicaMissingWhatTheLogNeverHeldIsRefusedWithMySqlsPurgedError() {
        DumpRefusedException e = assertThrows(DumpRefusedException.class,
                () -> new DumpPlanner(startedMidFile()).plan(gtidDump(UUID + ":1-206")));
        assertEquals(MySqlConstants.ER_MASTER_FATAL_ERROR_READING_BINLOG, e.errorCode());
        assertTrue(e.getMessage().startsWith("Cannot replicate because the master purged required binary logs."), e.getMessage());
        assertTrue(e.getMessage().contains("missing transactions are '" + UUID + ":207-256'"), e.getMessage());
    }

    @Test
    void aReplicaThatHasEverythingBeforeTheLogIsServed() throws Exception {
        DumpPlan plan = new DumpPlanner(startedMidFile()).plan(gtidDump(UUID + ":1-256"));
        assertEquals("binlog.000003", plan.file().name());
    }

    @Test
    void aPositionDumpBeforeTheLogsStartIsRefusedAndOneFromItIsServed() throws Exception {
        DumpPlanner planner = new DumpPlanner(startedMidFile());
        for (long position : new long[] {4, 197, 4999}) {
            DumpRefusedException e = assertThrows(DumpRefusedException.class, () -> planner.plan(positionDump("binlog.000003", position)));
            assertEquals(MySqlConstants.ER_MASTER_FATAL_ERROR_READING_BINLOG, e.errorCode());
            assertTrue(e.getMessage().contains("only from position 5000"), e.getMessage());
        }
        // No file named: "from the first file's start", which the log does not hold either.
        assertThrows(DumpRefusedException.class, () -> planner.plan(positionDump("", 4)));
        assertEquals(5000, planner.plan(positionDump("binlog.000003", 5000)).startPosition());
        assertEquals(5400, planner.plan(positionDump("binlog.000003", 5400)).startPosition());
    }

    @Test
    void filesBeforeAGapAreNotListedAndCannotBeAskedFor() {
        // A MySQL GTID start whose set has a hole: the source skipped 300 in the next file.
        LogIndex index = new TestLogs(Flavor.MYSQL)
                .header("binlog.000001", 197, "")
                .termStart("binlog.000001", 197, UUID + ":1-100:300")
                .transaction("binlog.000001", 1000, 1400, UUID + ":101")
                .add(io.binlogbridge.schemas.RecordKind.EVENTS, "binlog.000001", 1400, 1450, null, null)
                .header("binlog.000002", 197, UUID + ":1-299")
                .transaction("binlog.000002", 197, 600, UUID + ":299")
                .transaction("binlog.000002", 900, 1300, UUID + ":301")
                .index();
        assertEquals(List.of(new BinaryLog("binlog.000002", 1300, false)), index.binaryLogs());
        DumpRefusedException e = assertThrows(DumpRefusedException.class, () -> new DumpPlanner(index).plan(positionDump("binlog.000001", 4)));
        assertEquals("Could not find first log file name in binary log index file", e.getMessage());
        assertThrows(DumpRefusedException.class, () -> new DumpPlanner(index).plan(positionDump("binlog.000002", 600)));
        assertEquals(UUID + ":1-100:300", index.gtidPurged());
    }

    @Test
    void aLogThatStartsAtAFileStartIsWhole() throws Exception {
        LogIndex index = new TestLogs(Flavor.MYSQL)
                .header("binlog.000001", 197, UUID + ":1-5")
                .termStart("binlog.000001", 197, UUID + ":1-5")
                .transaction("binlog.000001", 197, 600, UUID + ":6")
                .index();
        assertEquals(UUID + ":1-5", index.gtidPurged());
        assertEquals(4, new DumpPlanner(index).plan(positionDump("", 4)).startPosition());
        assertEquals(1, index.binaryLogs().size());
    }

    @Test
    void anOlderLogWithAGapButNoTermStartRefusesGtidDumps() throws Exception {
        LogIndex index = new TestLogs(Flavor.MYSQL)
                .header("binlog.000003", 197, UUID + ":1-206")
                .transaction("binlog.000003", 5000, 5400, UUID + ":257")
                .index();
        DumpRefusedException e = assertThrows(DumpRefusedException.class, () -> new DumpPlanner(index).plan(gtidDump(UUID + ":1-206")));
        assertTrue(e.getMessage().contains("does not record which GTIDs it lacks"), e.getMessage());
        assertEquals(5000, new DumpPlanner(index).plan(positionDump("binlog.000003", 5000)).startPosition());
    }

    @Test
    void mariaDbReplicaBehindTheLogsStartIsRefusedWithMariaDbsError() throws Exception {
        LogIndex index = new TestLogs(Flavor.MARIADB)
                .header("binlog.000002", 300, "0-1-206")
                .termStart("binlog.000002", 9000, "0-1-256")
                .transaction("binlog.000002", 9000, 9400, "0-1-257")
                .index();
        assertEquals("0-1-257", index.gtidExecuted());
        DumpRefusedException e = assertThrows(DumpRefusedException.class, () -> new DumpPlanner(index).plan(mariaDbDump("0-1-206")));
        assertTrue(e.getMessage().startsWith("Could not find GTID state requested by slave in any binlog files"), e.getMessage());
        assertThrows(DumpRefusedException.class, () -> new DumpPlanner(index).plan(mariaDbDump("")));
        assertEquals("binlog.000002", new DumpPlanner(index).plan(mariaDbDump("0-1-256")).file().name());
    }

    private static DumpRequest gtidDump(String set) {
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP_GTID, "", 4, 2, MySqlConstants.BINLOG_THROUGH_GTID,
                MySqlGtidSet.parse(set).encode(), MYSQL);
    }

    private static DumpRequest positionDump(String file, long position) {
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP, file, position, 2, 0, null, MYSQL);
    }

    private static DumpRequest mariaDbDump(String state) {
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP, "", 4, 2, 0, null,
                new DumpSettings(null, "CRC32", state, 4L, null, false, false, true));
    }
}
