package io.binlogbridge.core.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PresentedNamesTest {

    @Test
    void theNextNameKeepsTheBaseAndTheWidth() {
        assertEquals("binlog.000004", PresentedNames.next("binlog.000003"));
        assertEquals("mysql-bin.000010", PresentedNames.next("mysql-bin.000009"));
        assertEquals("host.name-bin.1000000", PresentedNames.next("host.name-bin.999999"));
        assertEquals("binlog.12", PresentedNames.next("binlog.11"));
    }

    @Test
    void aNameWithoutANumberStartsASequenceAfterIt() {
        assertEquals("binlog.000001", PresentedNames.next("binlog"));
        assertEquals("binlog.log.000001", PresentedNames.next("binlog.log"));
    }

    @Test
    void theFirstTermKeepsTheSourcesNamesAndLaterTermsContinueTheSequence() {
        assertEquals("binlog.000001", PresentedNames.of(1, 1, "binlog.000001", null));
        assertEquals("binlog.000009", PresentedNames.of(1, 1, "binlog.000009", "binlog.000003"));
        assertEquals("binlog.000004", PresentedNames.of(2, 1, "mysql-bin.000007", "binlog.000003"));
        assertEquals("binlog.000004", PresentedNames.of(2, 1, "binlog.000001", "binlog.000003"));
        // The log's first file keeps its name, whatever its term.
        assertEquals("mysql-bin.000007", PresentedNames.of(2, 2, "mysql-bin.000007", null));
    }
}
