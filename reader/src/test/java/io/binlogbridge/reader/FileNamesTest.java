package io.binlogbridge.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FileNamesTest {
    @Test
    void theFirstTermKeepsItsNamesAndLaterTermsContinueThem() {
        FileNames names = new FileNames();
        assertEquals("binlog.000007", names.enter(1, "binlog.000007"));
        assertEquals("binlog.000007", names.enter(1, "binlog.000007"));
        assertEquals("binlog.000008", names.enter(1, "binlog.000008"));
        assertEquals("binlog.000009", names.enter(2, "binlog.000001"), "a new source reusing a name");
        assertEquals("binlog.000010", names.enter(2, "binlog.000002"));
        assertEquals("binlog.000011", names.enter(3, "mysql-bin.000042"), "another base name");
    }

    @Test
    void aResumedStateNamesTheNextFilesAsAReadFromTheStartWould() {
        FileNames names = new FileNames(1, 2, "binlog.000001", "binlog.000009");
        assertEquals("binlog.000009", names.enter(2, "binlog.000001"));
        assertEquals("binlog.000010", names.enter(2, "binlog.000002"));
    }

    @Test
    void namesOrderByTheirNumber() {
        assertTrue(FileNames.compare("binlog.999999", "binlog.1000000") < 0);
        assertTrue(FileNames.compare("binlog.000010", "binlog.000009") > 0);
        assertEquals(0, FileNames.compare("binlog.000010", "binlog.000010"));
    }
}
