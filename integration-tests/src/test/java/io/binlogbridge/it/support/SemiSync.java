package io.binlogbridge.it.support;

import io.binlogbridge.it.fixtures.SourceDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** A semi-synchronous MariaDB source's side of the relay: its status variables, and waiting for it to be on. */
public final class SemiSync {
    private SemiSync() {}

    /** {@code SHOW GLOBAL STATUS LIKE name}'s value, null when the server has no such variable. */
    public static String status(SourceDatabase db, String name) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    /**
     * Waits until the source is semi-synchronous again: statements that ran before the relay connected timed out and
     * switched it off, and the source switches it back on once the relay acknowledged its way up to the last commit.
     */
    public static void awaitOn(SourceDatabase source, RelayProcess relay) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"ON".equals(status(source, "Rpl_semi_sync_master_status"))) {
            if (System.nanoTime() > deadline || !relay.isAlive()) {
                throw new AssertionError("semi-sync did not switch on\n" + relay.log());
            }
            Thread.sleep(100);
        }
    }
}
