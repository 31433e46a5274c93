package io.binlogbridge.replayer.dump;

import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static io.binlogbridge.replayer.log.TermsIndexTest.UUID2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.TermsIndexTest;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.replayer.server.DumpSettings;
import io.binlogbridge.schemas.Flavor;
import org.junit.jupiter.api.Test;

/** Dumps into and across a later term: presented names for positions, the TERM_START's state for GTID planning. */
class TermsPlanningTest {
    private static final DumpSettings MYSQL = new DumpSettings(null, "CRC32", null, null, null, false, false, false);

    @Test
    void aPositionDumpNamesALaterTermsFileByItsPresentedName() throws Exception {
        DumpPlanner planner = new DumpPlanner(TermsIndexTest.twoTerms().index());
        DumpPlan plan = planner.plan(positionDump("binlog.000004", 1000));
        assertEquals("mysql-bin.000007", plan.file().sourceName());
        assertEquals(2, plan.file().term());
        assertEquals(1000, plan.startPosition());
        assertEquals(4, planner.plan(positionDump("binlog.000004", 4)).startPosition());
        assertEquals("binlog.000005", planner.plan(positionDump("binlog.000005", 197)).file().name());
        DumpRefusedException e = assertThrows(DumpRefusedException.class, () -> planner.plan(positionDump("mysql-bin.000007", 4)));
        assertEquals("Could not find first log file name in binary log index file", e.getMessage());
    }

    @Test
    void theEndOfAFileWithARenamedRotateIsItsSourceEnd() throws Exception {
        LogIndex index = TermsIndexTest.twoTerms().index();
        DumpPlan plan = new DumpPlanner(index).plan(positionDump("binlog.000004", index.presentedSize(index.file("binlog.000004"))));
        assertEquals(index.size(index.file("binlog.000004")), plan.startPosition());
    }

    @Test
    void aMySqlReplicaWithTheNewSourcesHeaderSetButNotTheSwitchStateStartsInTheEarlierTerm() throws Exception {
        DumpPlanner planner = new DumpPlanner(TermsIndexTest.twoTerms().index());
        // It has UUID:1-2, which mysql-bin.000007's header lists, but not UUID:3-4: they are only in binlog.000003.
        assertEquals("binlog.000003", planner.plan(gtidDump(UUID + ":1-2")).file().name());
        assertEquals("binlog.000003", planner.plan(gtidDump(UUID + ":1-3")).file().name());
        assertEquals("binlog.000004", planner.plan(gtidDump(UUID + ":1-4")).file().name());
        assertEquals("binlog.000005", planner.plan(gtidDump(UUID + ":1-4," + UUID2 + ":1")).file().name());
        assertEquals("binlog.000001", planner.plan(gtidDump("")).file().name());
    }

    @Test
    void aMariaDbReplicaWithTheNewSourcesGtidListButNotTheSwitchPositionStartsInTheEarlierTerm() throws Exception {
        LogIndex index = new TestLogs(Flavor.MARIADB)
                .header("mariadb-bin.000001", 256, "")
                .termStart("mariadb-bin.000001", 256, "")
                .transaction("mariadb-bin.000001", 256, 600, "0-1-1")
                .rotate("mariadb-bin.000001", 600, "mariadb-bin.000002")
                .header("mariadb-bin.000002", 256, "0-1-1")
                .transaction("mariadb-bin.000002", 256, 600, "0-1-2")
                .transaction("mariadb-bin.000002", 600, 900, "0-1-3")
                .term(2, null)
                .header("mariadb-bin.000005", 256, "0-1-1")
                .termStart("mariadb-bin.000005", 256, "0-1-3")
                .transaction("mariadb-bin.000005", 1200, 1500, "0-2-4")
                .index();
        assertEquals("0-2-4", index.gtidExecuted());
        DumpPlanner planner = new DumpPlanner(index);
        assertEquals("mariadb-bin.000002", planner.plan(mariaDbDump("0-1-1")).file().name());
        assertEquals("mariadb-bin.000002", planner.plan(mariaDbDump("0-1-2")).file().name());
        DumpPlan plan = planner.plan(mariaDbDump("0-1-3"));
        assertEquals("mariadb-bin.000003", plan.file().name());
        assertEquals("mariadb-bin.000005", plan.file().sourceName());
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
