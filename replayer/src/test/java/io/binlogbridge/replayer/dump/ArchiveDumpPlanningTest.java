package io.binlogbridge.replayer.dump;

import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import io.binlogbridge.replayer.archive.FileManifest;
import io.binlogbridge.replayer.log.LogIndex;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.replayer.server.DumpSettings;
import io.binlogbridge.schemas.Flavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DumpPlanner} with {@code --archive}: the topic holds binlog.000003 on (GTIDs 1-20 purged with the files before
 * it); a directory archive holds binlog.000001 and binlog.000002. Requests the topic serves stay on the topic; those it
 * would refuse for purged history start in the archive; an archive that cannot be read is ERROR 1236 saying so.
 */
class ArchiveDumpPlanningTest {
    private static final DumpSettings MYSQL = new DumpSettings(null, "CRC32", null, null, null, false, false, false);

    @TempDir
    Path dir;

    private static LogIndex purgedLog() {
        return new TestLogs(Flavor.MYSQL)
                .header("binlog.000003", 197, UUID + ":1-20")
                .transaction("binlog.000003", 197, 600, UUID + ":21")
                .transaction("binlog.000003", 600, 1000, UUID + ":22")
                .index();
    }

    private DumpPlanner planner() throws Exception {
        ArchiveStorage storage = ArchiveStorage.open(dir.toString(), null, 8 << 20);
        byte[] index = new ObjectMapper().writeValueAsBytes(Map.of("version", 1,
                "files", List.of(manifest("binlog.000001", ""), manifest("binlog.000002", UUID + ":1-10"))));
        storage.write("index.json", index);
        return new DumpPlanner(purgedLog(), new ArchiveHistory(storage));
    }

    @Test
    void purgedHistoryIsPlannedInTheArchive() throws Exception {
        DumpPlanner planner = planner();
        DumpPlan fromNothing = planner.plan(gtidDump(""));
        assertEquals("binlog.000001", fromNothing.archived().name());
        assertNull(fromNothing.file());
        DumpPlan partway = planner.plan(gtidDump(UUID + ":1-12"));
        assertEquals("binlog.000002", partway.archived().name());
        assertEquals(MySqlGtidSet.parse(UUID + ":1-12"), partway.excludeMySql());
        DumpPlan byPosition = planner.plan(positionDump("binlog.000002", 4));
        assertEquals("binlog.000002", byPosition.archived().name());
    }

    @Test
    void whatTheTopicHoldsIsServedFromTheTopic() throws Exception {
        DumpPlanner planner = planner();
        assertEquals("binlog.000003", planner.plan(gtidDump(UUID + ":1-20")).file().name());
        assertNull(planner.plan(gtidDump(UUID + ":1-21")).archived());
        assertEquals("binlog.000003", planner.plan(positionDump("binlog.000003", 197)).file().name());
        assertEquals("Could not find first log file name in binary log index file",
                assertThrows(DumpRefusedException.class, () -> planner.plan(positionDump("binlog.000009", 4))).getMessage());
    }

    @Test
    void anArchiveThatCannotBeReadIsError1236SayingSo() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        DumpPlanner planner = new DumpPlanner(purgedLog(),
                new ArchiveHistory(ArchiveStorage.open(notADirectory.resolve("archive").toString(), null, 8 << 20)));
        DumpRefusedException e = assertThrows(DumpRefusedException.class, () -> planner.plan(gtidDump("")));
        assertEquals(1236, e.errorCode());
        assertTrue(e.getMessage().startsWith("binlog-bridge: the log no longer holds this history and its archive "
                + notADirectory.resolve("archive") + " cannot be read: cannot read "), e.getMessage());
    }

    private static FileManifest manifest(String name, String gtidsAtStart) {
        return new FileManifest(name, name, 1, "MYSQL", UUID, 1, 1000, "00", gtidsAtStart, null, null, null, 0, 0, 0, null, null, null, null);
    }

    private static DumpRequest gtidDump(String set) {
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP_GTID, "", 4, 2, MySqlConstants.BINLOG_THROUGH_GTID,
                MySqlGtidSet.parse(set).encode(), MYSQL);
    }

    private static DumpRequest positionDump(String file, long position) {
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP, file, position, 2, 0, null, MYSQL);
    }
}
