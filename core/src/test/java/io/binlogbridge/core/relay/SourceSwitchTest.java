package io.binlogbridge.core.relay;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MariaDbGtidPosition;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.record.ResumePoint;
import io.binlogbridge.core.record.SourceIdentity;
import io.binlogbridge.core.replica.SourceException;
import io.binlogbridge.schemas.Flavor;
import org.junit.jupiter.api.Test;

class SourceSwitchTest {
    private static final String P = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String R = "4a5b6c7d-0000-11e1-9e33-c80aa9429562";
    private static final String OTHER = "99999999-0000-11e1-9e33-c80aa9429562";
    private static final String LOG = "topic t";
    private static final String CANDIDATE = "source 127.0.0.1:3307 (server_id 2)";

    private static void mysql(String log, String executed) throws SourceException {
        SourceSwitch.checkMySql(LOG, MySqlGtidSet.parse(log), CANDIDATE, MySqlGtidSet.parse(executed));
    }

    private static void mariaDb(String log, String binlogPos) throws SourceException {
        SourceSwitch.checkMariaDb(LOG, MariaDbGtidPosition.parse(log), CANDIDATE, MariaDbGtidPosition.parse(binlogPos));
    }

    @Test
    void mysqlCandidateHoldingTheLogsSetMayContinueIt() {
        assertDoesNotThrow(() -> mysql(P + ":1-100", P + ":1-100"));
        // More than the log (the primary's last writes reached it, or its own): it continues after the log.
        assertDoesNotThrow(() -> mysql(P + ":1-100", P + ":1-120," + R + ":1-3"));
        assertDoesNotThrow(() -> mysql(P + ":1-100," + R + ":1-5", P + ":1-100," + R + ":1-5"));
    }

    @Test
    void mysqlCandidateLackingTransactionsIsRefusedWithCountAndGtidsAndHowToFeedIt() {
        SourceException e = assertThrows(SourceException.class, () -> mysql(P + ":1-100", P + ":1-97"));
        assertFalse(e.retryable());
        assertEquals("refusing to switch sources: " + CANDIDATE + " lacks 3 transactions that topic t holds (" + P + ":98-100):"
                + " feed it first, by pointing it at the replayer (CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION=1)"
                + " until it has them, then restart the relay", e.getMessage());
        e = assertThrows(SourceException.class, () -> mysql(P + ":1-100," + R + ":1-2", P + ":1-99"));
        assertTrue(e.getMessage().contains("lacks 3 transactions that topic t holds (" + P + ":100," + R + ":1-2)"), e.getMessage());
        e = assertThrows(SourceException.class, () -> mysql(P + ":1-100", P + ":1-50:52-100"));
        assertTrue(e.getMessage().contains("lacks 1 transaction that"), e.getMessage());
    }

    @Test
    void mysqlServerOfAnotherClusterIsRefused() {
        SourceException e = assertThrows(SourceException.class, () -> mysql(P + ":1-100", OTHER + ":1-500"));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("shares no GTID history with topic t"), e.getMessage());
        assertTrue(e.getMessage().contains("another cluster"), e.getMessage());
        e = assertThrows(SourceException.class, () -> mysql(P + ":1-100", ""));
        assertTrue(e.getMessage().contains("another cluster"), e.getMessage());
    }

    @Test
    void longGtidTextsAreAbbreviated() {
        StringBuilder log = new StringBuilder(P + ":1-100");
        for (int i = 0; i < 20; i++) {
            log.append(",").append(String.format("%08d-0000-11e1-9e33-c80aa9429562:1-%d", i, i + 1));
        }
        SourceException e = assertThrows(SourceException.class, () -> mysql(log.toString(), P + ":1-100"));
        assertTrue(e.getMessage().contains("lacks 210 transactions"), e.getMessage());
        assertTrue(e.getMessage().contains("…"), e.getMessage());
        assertTrue(e.getMessage().length() < 600, e.getMessage());
    }

    @Test
    void mariaDbCandidateCoveringEveryDomainMayContinue() {
        assertDoesNotThrow(() -> mariaDb("0-1-100", "0-1-100"));
        assertDoesNotThrow(() -> mariaDb("0-1-100", "0-2-104"));
        assertDoesNotThrow(() -> mariaDb("0-1-100,1-1-7", "0-1-100,1-3-9,2-3-1"));
    }

    @Test
    void mariaDbCandidateBehindInADomainIsRefusedDomainByDomain() {
        SourceException e = assertThrows(SourceException.class, () -> mariaDb("0-1-100,1-1-7", "0-1-97,1-1-7"));
        assertEquals("refusing to switch sources: " + CANDIDATE + " lacks 3 transactions that topic t holds (0-1-98..0-1-100):"
                + " feed it first, by pointing it at the replayer (CHANGE REPLICATION SOURCE TO ... MASTER_USE_GTID=slave_pos)"
                + " until it has them, then restart the relay", e.getMessage());
        e = assertThrows(SourceException.class, () -> mariaDb("0-1-100,1-1-7", "0-1-100"));
        assertTrue(e.getMessage().contains("lacks 7 transactions that topic t holds (1-1-1..1-1-7)"), e.getMessage());
        e = assertThrows(SourceException.class, () -> mariaDb("0-1-100,1-1-7", "0-1-99,1-1-6"));
        assertTrue(e.getMessage().contains("lacks 2 transactions that topic t holds (0-1-100,1-1-7)"), e.getMessage());
    }

    @Test
    void mariaDbServerWithNoCommonDomainIsAnotherCluster() {
        SourceException e = assertThrows(SourceException.class, () -> mariaDb("0-1-100", "5-9-3"));
        assertTrue(e.getMessage().contains("shares no replication domain with topic t"), e.getMessage());
    }

    @Test
    void sameSourceIsTheSameUuidOnMySqlAndTheSameServerIdOnMariaDb() {
        ResumePoint mysqlLast = new ResumePoint(1, "binlog.000001", 400, false, P, 1);
        assertTrue(SourceSwitch.sameSource(mysqlLast, new SourceIdentity(Flavor.MYSQL, 7, P, "8.0.31")));
        assertFalse(SourceSwitch.sameSource(mysqlLast, new SourceIdentity(Flavor.MYSQL, 1, R, "8.0.31")));
        ResumePoint mariaLast = new ResumePoint(2, "mariadb-bin.000001", 400, false, null, 1);
        assertTrue(SourceSwitch.sameSource(mariaLast, new SourceIdentity(Flavor.MARIADB, 1, null, "10.11")));
        assertFalse(SourceSwitch.sameSource(mariaLast, new SourceIdentity(Flavor.MARIADB, 2, null, "10.11")));
    }
}
