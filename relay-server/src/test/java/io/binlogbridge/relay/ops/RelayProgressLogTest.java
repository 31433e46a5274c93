package io.binlogbridge.relay.ops;

import static io.binlogbridge.relay.ops.RelayMetricsTest.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.binlogbridge.core.record.SourceIdentity;
import io.binlogbridge.schemas.Flavor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RelayProgressLogTest {
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final RelayProgress progress = new RelayProgress("db1:3306", "bin", clock::get);

    @Test
    void progressLineSaysMegabytesRateBehindAndWhere() {
        assertEquals("progress: 45.0 MB in 30 s (1.50 MB/s, 1200 transactions), behind the source 2.5 s and 90.0 MB (caught up in about"
                        + " 60 s at this rate), committed up to mysql-bin.000003:4567",
                RelayProgressLog.progressLine(45_000_000, 1200, 30_000, 2.5, 90_000_000, "mysql-bin.000003:4567"));
        assertEquals("progress: 0.0 MB in 2.5 s (0.00 MB/s, 0 transactions), behind the source unknown, committed up to nothing yet",
                RelayProgressLog.progressLine(0, 0, 2_500, Double.NaN, -1, null));
        assertEquals("progress: 0.0 MB in 30 s (0.00 MB/s, 0 transactions), behind the source 40.0 s and 2.0 MB (not catching up: nothing"
                        + " committed in this interval), committed up to f:4",
                RelayProgressLog.progressLine(0, 0, 30_000, 40, 2_000_000, "f:4"));
        assertEquals("progress: 1.0 MB in 0.0 s (1000.00 MB/s, 1 transactions), behind the source 0.0 s and 0.0 MB, committed up to f:4",
                RelayProgressLog.progressLine(1_000_000, 1, 0, 0, 0, "f:4"), "no time elapsed counts as 1 ms");
    }

    @Test
    void estimatesAreInTheUnitAReaderThinksIn() {
        assertEquals("40 s", RelayProgressLog.roughly(40));
        assertEquals("12 min", RelayProgressLog.roughly(12 * 60 + 10));
        assertEquals("1.8 h", RelayProgressLog.roughly(6514));
    }

    @Test
    void tickCountsSinceTheLastTickAndSaysNothingWhileNotStreaming() {
        RelayProgressLog log = new RelayProgressLog(progress, Duration.ofSeconds(30), (source, file, position) -> 0);
        progress.committed(transaction("mariadb-bin.000001", 4, 1004, "0-7-1", 1_699_999_990L), 3_000_000, 2, 1);
        clock.addAndGet(30_000);
        assertNull(log.tick(), "no pass: not streaming, no line");
        // The bytes of that interval are consumed: the next tick counts only what follows.
        progress.committed(transaction("mariadb-bin.000001", 1004, 1504, "0-7-2", 1_699_999_995L), 500, 1, 1);
        clock.addAndGet(10_000);
        assertNull(log.tick());
    }

    @Test
    void oneLineAtEachNewFileAndEachNewTermNotPerCommit() {
        List<String> lines = new ArrayList<>();
        progress.onNewFile((previousFile, previousTerm, file, term) -> lines.add(previousFile + "/" + previousTerm + " -> " + file + "/" + term));
        progress.committed(transaction("mariadb-bin.000001", 4, 1004, "0-7-1", 1L), 1000, 1, 1);
        progress.committed(transaction("mariadb-bin.000001", 1004, 2004, "0-7-2", 1L), 1000, 1, 1);
        progress.committed(transaction("mariadb-bin.000001", 2004, 3004, "0-7-3", 1L), 1000, 1, 1);
        progress.committed(transaction("mariadb-bin.000002", 4, 1004, "0-7-4", 1L), 1000, 1, 1);
        progress.committed(transaction("mariadb-bin.000002", 1004, 2004, "0-7-5", 1L), 1000, 1, 1);
        assertEquals(List.of("null/-1 -> mariadb-bin.000001/1", "mariadb-bin.000001/1 -> mariadb-bin.000002/1"), lines);
        // A new pass in the same file and term: checked, nothing said.
        progress.sessionStarted(new io.binlogbridge.core.relay.SourceReplication(null, null, "topic bin", forSwitch -> null));
        progress.committed(transaction("mariadb-bin.000002", 2004, 3004, "0-7-6", 1L), 1000, 1, 1);
        assertEquals(2, lines.size(), lines.toString());
    }

    @Test
    void fileLinesNameTheFileTheTermAndTheSource() {
        SourceIdentity mariadb = new SourceIdentity(Flavor.MARIADB, 7, null, "10.11.6-MariaDB");
        assertEquals("relaying db1:3306 (MARIADB 10.11.6-MariaDB, server id 7) into topic bin: file mariadb-bin.000001, term 1",
                RelayProgressLog.fileLine(null, -1, "mariadb-bin.000001", 1, mariadb, "db1:3306", "bin"));
        assertEquals("rotate: relaying file mariadb-bin.000002 (after mariadb-bin.000001)",
                RelayProgressLog.fileLine("mariadb-bin.000001", 1, "mariadb-bin.000002", 1, mariadb, "db1:3306", "bin"));
        assertEquals("new term 2: the log continues from db2:3306 in file db2-bin.000005 (term 1 ended in mariadb-bin.000002)",
                RelayProgressLog.fileLine("mariadb-bin.000002", 1, "db2-bin.000005", 2, null, "db2:3306", "bin"));
    }
}
