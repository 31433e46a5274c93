package io.binlogbridge.replayer.purge;

import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.schemas.Flavor;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which file a purge keeps first: the named one for TO; for BEFORE the first not older than the time, never past the file being written. */
class PurgeTargetsTest {
    /** 2026-12-01 00:00:00 UTC. */
    private static final long T0 = LocalDateTime.of(2026, 12, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);

    /** binlog.000001 written until T0 + 10 s, binlog.000002 until T0 + 100 s, binlog.000003 (being written) until T0 + 1000 s. */
    private static List<IndexedFile> files() {
        return new TestLogs(Flavor.MYSQL)
                .at(T0).header("binlog.000001", 197, "")
                .at(T0 + 10).transaction("binlog.000001", 197, 600, UUID + ":1")
                .rotate("binlog.000001", 600, "binlog.000002")
                .at(T0 + 50).header("binlog.000002", 197, UUID + ":1")
                .at(T0 + 100).transaction("binlog.000002", 197, 600, UUID + ":2")
                .rotate("binlog.000002", 600, "binlog.000003")
                .header("binlog.000003", 197, UUID + ":1-2")
                .at(T0 + 1000).transaction("binlog.000003", 197, 600, UUID + ":3")
                .index().files();
    }

    private static String keptFirst(PurgeRequest request) {
        IndexedFile kept = PurgeTargets.keptFirst(files(), request, ZoneOffset.UTC);
        return kept == null ? null : kept.name();
    }

    @Test
    void toKeepsTheNamedFile() {
        assertEquals("binlog.000002", keptFirst(PurgeRequest.to("binlog.000002")));
        assertEquals("binlog.000003", keptFirst(PurgeRequest.to("binlog.000003")));
        assertNull(keptFirst(PurgeRequest.to("binlog.000009")));
    }

    @Test
    void beforeKeepsTheFirstFileWrittenToAtOrAfterTheTime() {
        assertEquals("binlog.000001", keptFirst(PurgeRequest.before(LocalDateTime.of(2026, 12, 1, 0, 0, 10))));
        assertEquals("binlog.000002", keptFirst(PurgeRequest.before(LocalDateTime.of(2026, 12, 1, 0, 0, 11))));
        assertEquals("binlog.000003", keptFirst(PurgeRequest.before(LocalDateTime.of(2026, 12, 1, 0, 1, 41))));
        // Everything older: the file being written stays all the same, as MySQL keeps its active log.
        assertEquals("binlog.000003", keptFirst(PurgeRequest.before(LocalDateTime.of(2027, 1, 1, 0, 0))));
    }
}
