package io.binlogbridge.core.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceBacklogTest {
    static final List<List<String>> LOGS = List.of(List.of("binlog.000001", "1000", "No"), List.of("binlog.000002", "5000", "No"),
            List.of("binlog.000003", "700", "No"));

    @Test
    void theRestOfTheFileAndEveryLaterOne() {
        assertEquals(4000 + 700, SourceSession.bytesAfter(LOGS, "binlog.000002", 1000));
        assertEquals(0, SourceSession.bytesAfter(LOGS, "binlog.000003", 700));
        assertEquals(1000 - 4 + 5000 + 700, SourceSession.bytesAfter(LOGS, "binlog.000001", 4));
    }

    @Test
    void aFileTheSourceNoLongerListsIsUnknown() {
        assertEquals(-1, SourceSession.bytesAfter(LOGS, "binlog.000000", 4));
    }
}
