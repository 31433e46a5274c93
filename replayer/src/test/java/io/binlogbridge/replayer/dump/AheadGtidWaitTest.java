package io.binlogbridge.replayer.dump;

import static io.binlogbridge.replayer.log.TestLogs.UUID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.replayer.log.TestLogs;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.replayer.server.DumpSettings;
import io.binlogbridge.schemas.Flavor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A GTID dump asking for transactions the log does not hold yet (a CDC tool that read its snapshot position on a query
 * backend slightly ahead of the relay) waits for them, a bounded time, then gets MySQL's error.
 */
@Timeout(30)
class AheadGtidWaitTest {
    private static final DumpSettings MYSQL = new DumpSettings(null, "CRC32", null, null, null, false, false, false);
    private static final String OTHER_UUID = "aaaaaaaa-71ca-11e1-9e33-c80aa9429562";

    private static TestLogs logs() {
        return new TestLogs(Flavor.MYSQL)
                .header("binlog.000001", 197, "")
                .transaction("binlog.000001", 197, 600, UUID + ":1")
                .transaction("binlog.000001", 600, 1000, UUID + ":2");
    }

    private static DumpRequest gtidDump(String set, int flags) {
        return new DumpRequest(MySqlConstants.COM_BINLOG_DUMP_GTID, "", 4, 2, MySqlConstants.BINLOG_THROUGH_GTID | flags,
                MySqlGtidSet.parse(set).encode(), MYSQL);
    }

    @Test
    void aDumpAheadOfTheLogIsPlannedOnceTheLogCatchesUp() throws Exception {
        TestLogs logs = logs();
        DumpPlanner planner = new DumpPlanner(logs.index(), Duration.ofSeconds(20));
        CompletableFuture<Object> plan = CompletableFuture.supplyAsync(() -> {
            try {
                return planner.plan(gtidDump(UUID + ":1-3", 0));
            } catch (Exception e) {
                return e;
            }
        });
        // Still waiting while the log lacks :3 (a refusal would complete it at once).
        assertThrows(java.util.concurrent.TimeoutException.class, () -> plan.get(300, TimeUnit.MILLISECONDS));
        logs.transaction("binlog.000001", 1000, 1400, UUID + ":3");
        Object result = plan.get(10, TimeUnit.SECONDS);
        assertTrue(result instanceof DumpPlan, String.valueOf(result));
        assertEquals("binlog.000001", ((DumpPlan) result).file().name());
    }

    @Test
    void theWaitIsBoundedThenMySqlsError() {
        DumpPlanner planner = new DumpPlanner(logs().index(), Duration.ofMillis(200));
        long start = System.nanoTime();
        DumpRefusedException e = assertThrows(DumpRefusedException.class, () -> planner.plan(gtidDump(UUID + ":1-3", 0)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "it waited");
        assertTrue(e.getMessage().startsWith("Slave has more GTIDs than the master has"), e.getMessage());
    }

    @Test
    void divergedReplicasAndNonBlockingDumpsAreRefusedAtOnce() {
        DumpPlanner planner = new DumpPlanner(logs().index(), Duration.ofSeconds(20));
        long start = System.nanoTime();
        assertThrows(DumpRefusedException.class, () -> planner.plan(gtidDump(UUID + ":1-2," + OTHER_UUID + ":1", 0)));
        assertThrows(DumpRefusedException.class, () -> planner.plan(gtidDump(UUID + ":1-3", MySqlConstants.BINLOG_DUMP_NON_BLOCK)));
        assertFalse(System.nanoTime() - start > TimeUnit.SECONDS.toNanos(5), "refused without waiting");
    }
}
