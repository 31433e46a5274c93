package io.binlogbridge.it.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.SourceDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Helpers for real MySQL/MariaDB replicas: status, waiting for catch-up, comparing data. */
public final class Replicas {
    private Replicas() {}

    /** {@code SHOW SLAVE STATUS} as column → value (empty map when the server is not a replica). */
    public static Map<String, String> slaveStatus(SourceDatabase replica) {
        try (Connection c = replica.connect()) {
            return slaveStatus(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #slaveStatus(SourceDatabase)} on an open connection (for frequent polls). */
    public static Map<String, String> slaveStatus(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            Map<String, String> row = new LinkedHashMap<>();
            if (rs.next()) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
            }
            return row;
        }
    }

    public static String describe(Map<String, String> status) {
        StringBuilder b = new StringBuilder();
        for (String k : List.of("Master_Host", "Master_Port", "Slave_IO_Running", "Slave_SQL_Running", "Master_Log_File",
                "Read_Master_Log_Pos", "Relay_Master_Log_File", "Exec_Master_Log_Pos", "Last_IO_Errno", "Last_IO_Error",
                "Last_SQL_Errno", "Last_SQL_Error", "Retrieved_Gtid_Set", "Executed_Gtid_Set", "Gtid_IO_Pos",
                "Using_Gtid", "Auto_Position")) {
            if (status.containsKey(k)) {
                b.append(k).append('=').append(status.get(k)).append("; ");
            }
        }
        return b.toString();
    }

    /** Both replication threads running and no error recorded. */
    public static void assertHealthy(SourceDatabase replica) {
        Map<String, String> st = slaveStatus(replica);
        String d = describe(st);
        assertEquals("Yes", st.get("Slave_IO_Running"), d);
        assertEquals("Yes", st.get("Slave_SQL_Running"), d);
        assertEquals("0", st.get("Last_IO_Errno"), d);
        assertEquals("0", st.get("Last_SQL_Errno"), d);
    }

    /**
     * As {@link #await(SourceDatabase, Supplier, Duration, String, Supplier)} for a replica of {@code pipeline}, failing
     * at once when its relay or replayer has exited: the replica would only wait for the timeout.
     */
    static void await(SourceDatabase replica, Supplier<Boolean> caughtUp, Duration timeout, String what, Pipeline pipeline)
            throws InterruptedException {
        await(replica, () -> {
            pipeline.assertRunning();
            return caughtUp.get();
        }, timeout, what, pipeline::logs);
    }

    /**
     * Waits until {@code caughtUp} holds; fails early when a replication thread stopped with an error, or after
     * {@code timeout}, with the replica's status and {@code context} (e.g. the replayer's log).
     */
    public static void await(SourceDatabase replica, Supplier<Boolean> caughtUp, Duration timeout, String what,
            Supplier<String> context) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp.get()) {
            Map<String, String> st = slaveStatus(replica);
            boolean sqlError = !"0".equals(st.getOrDefault("Last_SQL_Errno", "0"));
            boolean ioStopped = "No".equals(st.get("Slave_IO_Running")) || "No".equals(st.get("Slave_SQL_Running"));
            if (sqlError || ioStopped || System.nanoTime() > deadline) {
                throw new AssertionError((sqlError || ioStopped ? "replica failed" : "timed out") + " waiting for " + what
                        + "\nreplica: " + describe(st) + "\n" + context.get());
            }
            Thread.sleep(250);
        }
    }

    /** Waits until the replica has executed the pipeline's source up to its current end, by file and position. */
    static void awaitExecutedToSourceEnd(SourceDatabase replica, Pipeline p, Duration timeout) throws InterruptedException {
        String file = p.source.currentBinlogFile();
        long pos = p.source.currentBinlogPosition();
        await(replica, () -> {
            Map<String, String> st = slaveStatus(replica);
            return file.equals(st.get("Relay_Master_Log_File")) && Long.toString(pos).equals(st.get("Exec_Master_Log_Pos"));
        }, timeout, "replica to execute up to " + file + ":" + pos, p);
    }

    /** Schema.table of every base table outside the system schemas, sorted. */
    static List<String> userTables(SourceDatabase db, String onlySchema) {
        List<String> tables = new ArrayList<>();
        for (List<String> row : db.queryRows("SELECT table_schema, table_name FROM information_schema.tables "
                + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN "
                + "('mysql', 'sys', 'performance_schema', 'information_schema')"
                + (onlySchema == null ? "" : " AND table_schema = " + sqlString(onlySchema))
                + " ORDER BY table_schema, table_name")) {
            tables.add(row.get(0) + "." + row.get(1));
        }
        return tables;
    }

    /** {@code CHECKSUM TABLE} of every user table. */
    static Map<String, String> checksums(SourceDatabase db, String onlySchema) {
        Map<String, String> sums = new TreeMap<>();
        for (String t : userTables(db, onlySchema)) {
            String[] p = t.split("\\.", 2);
            sums.put(t, db.queryRows("CHECKSUM TABLE `" + p[0] + "`.`" + p[1] + "`").get(0).get(1));
        }
        return sums;
    }

    /** Same tables, same CHECKSUM TABLE for each. */
    static void assertSameData(SourceDatabase source, SourceDatabase replica) {
        assertSameData(source, replica, null);
    }

    /** Same tables of {@code onlySchema} (all user schemas when null), same CHECKSUM TABLE for each. */
    public static void assertSameData(SourceDatabase source, SourceDatabase replica, String onlySchema) {
        Map<String, String> expected = checksums(source, onlySchema);
        Map<String, String> actual = checksums(replica, onlySchema);
        assertTrue(expected.size() >= 2, "tables to compare: " + expected.keySet());
        assertEquals(expected.keySet(), actual.keySet(), "tables of the replica");
        assertEquals(expected, actual, "CHECKSUM TABLE of every table");
    }

    /** Count and max of a gap-free id sequence on the replica equal the source's: nothing lost or duplicated. */
    static void assertSameSequence(SourceDatabase source, SourceDatabase replica, String table, long expectedLast) {
        List<String> src = source.queryRows("SELECT COUNT(*), MAX(id), COUNT(DISTINCT id) FROM " + table).get(0);
        List<String> rep = replica.queryRows("SELECT COUNT(*), MAX(id), COUNT(DISTINCT id) FROM " + table).get(0);
        assertEquals(List.of(Long.toString(expectedLast), Long.toString(expectedLast), Long.toString(expectedLast)), src,
                "source " + table + " count, max, distinct");
        assertEquals(src, rep, "replica " + table + " count, max, distinct");
    }

    public static String sqlString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

}
