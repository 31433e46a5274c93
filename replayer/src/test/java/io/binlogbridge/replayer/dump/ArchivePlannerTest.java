package io.binlogbridge.replayer.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.replayer.archive.FileManifest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ArchivePlanner}: an archive of four files (binlog.000001 to .000004) whose GTID states at their starts are
 * U:1-0 (nothing), U:1-10, U:1-20, U:1-30; the topic begins at binlog.000004, so only the first three are candidates.
 */
class ArchivePlannerTest {
    private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final List<FileManifest> ARCHIVE = List.of(file(1, ""), file(2, U + ":1-10"), file(3, U + ":1-20"), file(4, U + ":1-30"));
    private static final MySqlGtidSet TOPIC_PURGED = MySqlGtidSet.parse(U + ":1-30");

    @Test
    void gtidStartsAtTheNewestArchivedFileTheReplicaHasTheStartOf() throws Exception {
        assertEquals("binlog.000001", gtid("").archived().name(), "from nothing: the first file");
        assertEquals("binlog.000002", gtid(U + ":1-15").archived().name());
        assertEquals("binlog.000003", gtid(U + ":1-20").archived().name(), "the newest whose start the replica has");
        DumpPlan plan = gtid(U + ":1-12");
        assertEquals(4, plan.startPosition());
        assertEquals(MySqlGtidSet.parse(U + ":1-12"), plan.excludeMySql(), "what the replica has is left out");
        assertEquals(-1, plan.startOffset());
        assertNull(plan.file());
    }

    @Test
    void gtidBeforeTheArchiveGetsMySqlsPurgedError() {
        List<FileManifest> trimmed = ARCHIVE.subList(1, 4);
        DumpRefusedException e = assertThrows(DumpRefusedException.class,
                () -> ArchivePlanner.mySqlGtid(trimmed, "binlog.000004", MySqlGtidSet.parse(U + ":1-5"), TOPIC_PURGED));
        assertTrue(e.getMessage().startsWith("Cannot replicate because the master purged required binary logs."), e.getMessage());
        assertTrue(e.getMessage().endsWith("the missing transactions are '" + U + ":6-10'."), e.getMessage());
        // An archive with nothing before the topic: the topic's purged set is what is missing.
        e = assertThrows(DumpRefusedException.class,
                () -> ArchivePlanner.mySqlGtid(List.of(), "binlog.000004", MySqlGtidSet.empty(), TOPIC_PURGED));
        assertTrue(e.getMessage().endsWith("the missing transactions are '" + U + ":1-30'."), e.getMessage());
    }

    @Test
    void filesTheTopicStillHoldsAreNotCandidates() throws Exception {
        // The topic begins at binlog.000003 now: binlog.000003 is served from the topic, so the archive offers .000002.
        assertEquals("binlog.000002", ArchivePlanner.mySqlGtid(ARCHIVE, "binlog.000003", MySqlGtidSet.parse(U + ":1-25"), TOPIC_PURGED)
                .archived().name());
        assertThrows(DumpRefusedException.class, () -> ArchivePlanner.position(ARCHIVE, "binlog.000003", "binlog.000003", 4));
    }

    @Test
    void positionStartsInTheNamedFile() throws Exception {
        DumpPlan plan = ArchivePlanner.position(ARCHIVE, "binlog.000004", "binlog.000002", 900);
        assertEquals("binlog.000002", plan.archived().name());
        assertEquals(900, plan.startPosition());
        assertTrue(plan.resendFormatDescription(), "mid-file: the FORMAT_DESCRIPTION goes first");
        assertEquals("binlog.000002", plan.fileName());
        assertEquals(4, ArchivePlanner.position(ARCHIVE, "binlog.000004", "binlog.000001", 4).startPosition());
        assertEquals("Could not find first log file name in binary log index file", assertThrows(DumpRefusedException.class,
                () -> ArchivePlanner.position(ARCHIVE, "binlog.000004", "binlog.000009", 4)).getMessage());
        assertEquals("Client requested master to start replication from position > file size", assertThrows(DumpRefusedException.class,
                () -> ArchivePlanner.position(ARCHIVE, "binlog.000004", "binlog.000002", 1001)).getMessage());
        assertEquals("Client requested master to start replication from position < 4", assertThrows(DumpRefusedException.class,
                () -> ArchivePlanner.position(ARCHIVE, "binlog.000004", "binlog.000002", 3)).getMessage());
    }

    @Test
    void mariaDbStartsAtTheNewestFileTheReplicaIsPast() throws Exception {
        List<FileManifest> archive = List.of(file(1, ""), file(2, "0-1-10"), file(3, "0-1-20"));
        assertEquals("binlog.000002", ArchivePlanner.mariaDbGtid(archive, "binlog.000004", MariaDbGtidPosition.parse("0-1-15")).archived().name());
        assertEquals("binlog.000001", ArchivePlanner.mariaDbGtid(archive, "binlog.000004", MariaDbGtidPosition.empty()).archived().name());
        DumpRefusedException e = assertThrows(DumpRefusedException.class,
                () -> ArchivePlanner.mariaDbGtid(archive.subList(1, 3), "binlog.000004", MariaDbGtidPosition.parse("0-1-5")));
        assertTrue(e.getMessage().startsWith("Could not find GTID state requested by slave in any binlog files."), e.getMessage());
    }

    private static DumpPlan gtid(String replica) throws DumpRefusedException {
        return ArchivePlanner.mySqlGtid(ARCHIVE, "binlog.000004", MySqlGtidSet.parse(replica), TOPIC_PURGED);
    }

    private static FileManifest file(int n, String gtidsAtStart) {
        String name = String.format("binlog.%06d", n);
        return new FileManifest(name, name, 1, "MYSQL", U, 1, 1000, "00", gtidsAtStart, null, null, null, 0, 0, 0, null, null, null, null);
    }
}
