package io.binlogbridge.replayer.purge;

import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.replayer.log.IndexedFile;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.schemas.Flavor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which file retention keeps first: a file goes only when dropping it leaves every floor (files, bytes, time) met. */
class RetentionPolicyTest {
    private static final long T0 = 1_800_000_000L;

    /**
     * Four files of one transaction each, written until T0 + 10, + 20, + 30 s; binlog.000004 (being written) until T0 + 40 s.
     */
    private static List<IndexedFile> files() {
        return new TestLogs(Flavor.MYSQL)
                .at(T0).header("binlog.000001", 197, "")
                .at(T0 + 10).transaction("binlog.000001", 197, 600, UUID + ":1")
                .rotate("binlog.000001", 600, "binlog.000002")
                .header("binlog.000002", 197, UUID + ":1")
                .at(T0 + 20).transaction("binlog.000002", 197, 600, UUID + ":2")
                .rotate("binlog.000002", 600, "binlog.000003")
                .header("binlog.000003", 197, UUID + ":1-2")
                .at(T0 + 30).transaction("binlog.000003", 197, 600, UUID + ":3")
                .rotate("binlog.000003", 600, "binlog.000004")
                .header("binlog.000004", 197, UUID + ":1-3")
                .at(T0 + 40).transaction("binlog.000004", 197, 600, UUID + ":4")
                .index().files();
    }

    private static String keptFirst(RetentionPolicy policy, long now) {
        return policy.keptFirst(files(), now).name();
    }

    @Test
    void keepsTheNewestFilesCountingTheOneBeingWritten() {
        assertEquals("binlog.000003", keptFirst(new RetentionPolicy(2, 0, Duration.ZERO), T0 + 100));
        assertEquals("binlog.000001", keptFirst(new RetentionPolicy(4, 0, Duration.ZERO), T0 + 100));
        assertEquals("binlog.000001", keptFirst(new RetentionPolicy(9, 0, Duration.ZERO), T0 + 100));
    }

    @Test
    void keepsAtLeastTheBytesAsked() {
        List<IndexedFile> log = files();
        // A closed file ends with its ROTATE event; the last one has none yet.
        assertEquals(List.of(644L, 644L, 644L, 600L), log.stream().map(IndexedFile::size).toList());
        // The last two files hold exactly 1244 bytes.
        assertEquals("binlog.000003", keptFirst(new RetentionPolicy(0, 1244, Duration.ZERO), T0 + 100));
        // One byte more needs a third file.
        assertEquals("binlog.000002", keptFirst(new RetentionPolicy(0, 1245, Duration.ZERO), T0 + 100));
    }

    @Test
    void keepsFilesWrittenToWithinTheTime() {
        // At T0 + 35 with 10 s: files last written before T0 + 25 go (binlog.000001 at +10, binlog.000002 at +20).
        assertEquals("binlog.000003", keptFirst(RetentionPolicy.expireAfter(Duration.ofSeconds(10)), T0 + 35));
        // A file written to exactly at the cutoff stays, as MySQL purges only files older than it.
        assertEquals("binlog.000002", keptFirst(RetentionPolicy.expireAfter(Duration.ofSeconds(15)), T0 + 35));
    }

    @Test
    void everyFloorMustHoldAndTheFileBeingWrittenNeverGoes() {
        // Time alone would drop three files, the count keeps three.
        assertEquals("binlog.000002", keptFirst(new RetentionPolicy(3, 0, Duration.ofSeconds(1)), T0 + 100));
        // Time keeps two files, bytes keep three.
        assertEquals("binlog.000002", keptFirst(new RetentionPolicy(0, 1245, Duration.ofSeconds(75)), T0 + 100));
        assertEquals("binlog.000004", keptFirst(new RetentionPolicy(1, 0, Duration.ZERO), T0 + 100));
        assertEquals("binlog.000004", keptFirst(RetentionPolicy.expireAfter(Duration.ofSeconds(1)), T0 + 10_000));
    }

    @Test
    void anEmptyLogKeepsNothingAndNegativeFloorsAreRefused() {
        assertNull(new RetentionPolicy(1, 0, Duration.ZERO).keptFirst(List.of(), T0));
        assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(-1, 0, Duration.ZERO));
    }

    @Test
    void describesItselfForTheLog() {
        assertEquals("keeping at least 3 file(s), at least 1024 bytes, the files written to in the last 60 s",
                new RetentionPolicy(3, 1024, Duration.ofSeconds(60)).toString());
        assertEquals("keeping at least 2 file(s)", new RetentionPolicy(2, 0, Duration.ZERO).toString());
    }
}
