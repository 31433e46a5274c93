package io.binlogbridge.replayer.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveFindTest {
    private static final String U = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private static FileManifest mysql(String name, String start, String end, long firstTs) {
        return new FileManifest(name, name, 1, "MYSQL", U, 1, 1000, "00", start, end, null, null, 0, firstTs, firstTs + 50, null, null,
                new long[] {0, 1}, null);
    }

    private static FileManifest mariaDb(String name, String start, String end, long firstTs) {
        return new FileManifest(name, name, 1, "MARIADB", null, 1, 1000, "00", start, end, null, null, 0, firstTs, firstTs + 50, null,
                null, new long[] {0, 1}, null);
    }

    private static final List<FileManifest> MYSQL_FILES = List.of(
            mysql("binlog.000001", "", U + ":1-10", 1000),
            mysql("binlog.000002", U + ":1-10", U + ":1-20", 2000),
            mysql("binlog.000003", U + ":1-20", U + ":1-30", 3000),
            mysql("binlog.000004", U + ":1-30", U + ":1-30", 4000));

    private static List<String> names(List<ArchiveFind.Step> steps) {
        return steps.stream().map(ArchiveFind.Step::name).toList();
    }

    @Test
    void fromABackupsGtidSetStartsAtTheFirstFileWithATransactionTheBackupLacks() throws Exception {
        assertEquals(List.of("binlog.000002", "binlog.000003", "binlog.000004"), names(ArchiveFind.plan(MYSQL_FILES, U + ":1-15", null)));
        // A backup at a file's end needs nothing of that file.
        assertEquals(List.of("binlog.000003", "binlog.000004"), names(ArchiveFind.plan(MYSQL_FILES, U + ":1-20", null)));
        assertEquals(4, ArchiveFind.plan(MYSQL_FILES, U + ":1-20", null).get(0).startPosition());
        // The backup has everything, even the last file's (it holds no new transaction): nothing to replay.
        assertEquals(List.of(), names(ArchiveFind.plan(MYSQL_FILES, U + ":1-30", null)));
    }

    @Test
    void aBackupOlderThanTheArchiveIsRefused() {
        List<FileManifest> files = MYSQL_FILES.subList(2, 4);
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveFind.plan(files, U + ":1-5", null));
        assertTrue(e.getMessage().contains("binlog.000003"), e.getMessage());
    }

    @Test
    void untilATimeEndsWithTheLastFileThatBeganBeforeIt() throws Exception {
        assertEquals(List.of("binlog.000001", "binlog.000002"), names(ArchiveFind.plan(MYSQL_FILES, null, 2500L)));
        assertEquals(List.of("binlog.000001", "binlog.000002"), names(ArchiveFind.plan(MYSQL_FILES, null, 2000L)));
        assertEquals(List.of(), names(ArchiveFind.plan(MYSQL_FILES, null, 999L)));
        assertEquals(List.of("binlog.000002", "binlog.000003"), names(ArchiveFind.plan(MYSQL_FILES, U + ":1-12", 3500L)));
    }

    @Test
    void mariaDbPositionsCompareByDomain() throws Exception {
        List<FileManifest> files = List.of(
                mariaDb("mariadb-bin.000001", "", "0-1-10,1-1-5", 1000),
                mariaDb("mariadb-bin.000002", "0-1-10,1-1-5", "0-1-20,1-1-5", 2000),
                mariaDb("mariadb-bin.000003", "0-1-20,1-1-5", "0-1-20,1-1-9", 3000));
        assertEquals(List.of("mariadb-bin.000002", "mariadb-bin.000003"), names(ArchiveFind.plan(files, "0-1-12,1-1-5", null)));
        assertEquals(List.of("mariadb-bin.000003"), names(ArchiveFind.plan(files, "0-1-20,1-1-6", null)));
    }

    @Test
    void aGtidSetOfTheWrongKindIsNamed() {
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveFind.plan(MYSQL_FILES, "0-1-12", null));
        assertTrue(e.getMessage().contains("--gtid-set"), e.getMessage());
    }
}
