package io.binlogbridge.it.cdc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: the replayer with {@code --query-backend} set to a real MySQL 8.0 replica of the source answers, through
 * Connector/J, the table reads and snapshots a CDC tool's initial snapshot makes, as the source answers them, while
 * what the log owns (identity, GTID state, the binary log position outside a snapshot) stays the log's; without the
 * option those statements get an error naming it.
 */
class QueryBackendTest {
    private static CdcCluster cluster;
    private static SourceDatabase source;
    private static SourceDatabase backend;
    private static ReplayerProcess replayer;
    private static ReplayerProcess replayerAlone;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = CdcCluster.start("cdc-backend", db -> db.execute("CREATE DATABASE inventory",
                "CREATE TABLE inventory.typed (id INT PRIMARY KEY, big BIGINT UNSIGNED, price DECIMAL(12,4), ratio DOUBLE,"
                        + " made DATETIME(3), day DATE, stamp TIMESTAMP(6) NULL, name VARCHAR(40) CHARACTER SET utf8mb4,"
                        + " data BLOB, doc JSON, flag BIT(3), kind ENUM('a','b')) ENGINE=InnoDB",
                "INSERT INTO inventory.typed VALUES (1, 18446744073709551615, 12345678.9012, 1.5e300, '2024-02-29 23:59:59.123',"
                        + " '1999-12-31', '2038-01-19 03:14:07.999999', 'caf\u00e9 \uD83D\uDE00', X'00FF7F80', '{\"a\": [1, null]}', b'101', 'b')",
                "INSERT INTO inventory.typed VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                "INSERT INTO inventory.typed VALUES (3, 0, -0.0001, -2.25, '1000-01-01 00:00:00', '9999-12-31', NULL, '', X'', '[]', b'0', 'a')"));
        source = cluster.source;
        backend = cluster.backend;
        replayer = cluster.replayer;
        replayerAlone = ReplayerProcess.start(cluster.kafka.bootstrap(), cluster.topic);
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(replayerAlone, cluster);
    }

    private static void awaitBackendCaughtUp() throws InterruptedException {
        cluster.awaitBackendCaughtUp();
    }

    private static Connection connect(ReplayerProcess server) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port()
                + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=5000", ReplayerProcess.USER, ReplayerProcess.PASSWORD);
    }

    /** Every value as Connector/J's typed getters read it, with the column's metadata. */
    private static List<String> typedRead(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(md.getColumnName(i) + " " + md.getColumnTypeName(i) + " " + md.getColumnType(i) + " p" + md.getPrecision(i)
                        + " s" + md.getScale(i) + " " + md.getColumnClassName(i) + " nullable" + md.isNullable(i)
                        + " signed" + md.isSigned(i) + " table " + md.getCatalogName(i) + "." + md.getTableName(i));
            }
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    byte[] raw = rs.getBytes(i);
                    row.append(v == null ? "NULL" : v.getClass().getSimpleName() + ":" + (v instanceof byte[] b ? hex(b) : v))
                            .append(" raw=").append(raw == null ? "NULL" : hex(raw)).append(" | ");
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    private static List<String> column(Connection c, String sql, int index) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(index));
            }
        }
        return out;
    }

    private static Map<String, String> row(Connection c, String sql) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql + " returned no row");
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
            }
        }
        return out;
    }

    @Test
    void tableReadsReturnTheSourcesTypedValues() throws Exception {
        String sql = "SELECT * FROM inventory.typed ORDER BY id";
        try (Connection fromSource = source.connect(); Connection fromReplayer = connect(replayer)) {
            List<String> expected = typedRead(fromSource, sql);
            assertEquals(1 + 12 + 2, expected.size(), expected.toString()); // itself checks the read saw three rows
            assertEquals(expected, typedRead(fromReplayer, sql));
            // A streamed read, as Debezium's snapshot makes it (fetch size Integer.MIN_VALUE).
            try (Statement st = fromReplayer.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                st.setFetchSize(Integer.MIN_VALUE);
                try (ResultSet rs = st.executeQuery("SELECT id, price, data FROM inventory.typed ORDER BY id")) {
                    assertTrue(rs.next());
                    assertEquals(new java.math.BigDecimal("12345678.9012"), rs.getBigDecimal(2));
                    assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x7F, (byte) 0x80}, rs.getBytes(3));
                    assertTrue(rs.next());
                    assertEquals(null, rs.getBigDecimal(2));
                    assertTrue(rs.next());
                    assertFalse(rs.next());
                }
            }
        }
    }

    @Test
    void schemaStatementsAreTheSources() throws Exception {
        try (Connection fromSource = source.connect(); Connection fromReplayer = connect(replayer)) {
            for (String sql : List.of("SHOW CREATE TABLE inventory.typed", "SHOW FULL TABLES IN inventory WHERE Table_Type = 'BASE TABLE'",
                    "SHOW CREATE DATABASE inventory", "SHOW COLUMNS FROM inventory.typed")) {
                assertEquals(typedRead(fromSource, sql), typedRead(fromReplayer, sql), sql);
            }
            assertTrue(column(fromReplayer, "SHOW DATABASES", 1).contains("inventory"));
            try (Statement st = fromReplayer.createStatement()) {
                st.execute("USE inventory");
            }
            assertEquals(List.of("3"), column(fromReplayer, "SELECT COUNT(*) FROM typed", 1), "USE reached the backend session");
        }
    }

    @Test
    void aConsistentSnapshotAsDebeziumTakesIt() throws Exception {
        source.execute("CREATE TABLE IF NOT EXISTS inventory.counter (id INT PRIMARY KEY)", "INSERT INTO inventory.counter VALUES (1)");
        awaitBackendCaughtUp();
        String gtidsAtSnapshot = backend.gtidExecuted();
        String backendFile = backend.currentBinlogFile();
        try (Connection c = connect(replayer); Statement st = c.createStatement()) {
            st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            c.setAutoCommit(false);
            st.execute("FLUSH TABLES WITH READ LOCK");
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            Map<String, String> position = row(c, "SHOW MASTER STATUS");
            assertEquals(gtidsAtSnapshot, position.get("Executed_Gtid_Set").replaceAll("\\s", ""),
                    "inside its snapshot the position is the backend's");
            assertEquals(backendFile, position.get("File"));
            st.execute("UNLOCK TABLES");
            assertEquals("REPEATABLE-READ", row(c, "SELECT @@transaction_isolation").values().iterator().next());

            source.execute("INSERT INTO inventory.counter VALUES (2)");
            awaitBackendCaughtUp();
            assertEquals(List.of("1"), column(c, "SELECT id FROM inventory.counter ORDER BY id", 1), "the snapshot's view");
            c.commit();
            assertEquals(List.of("1", "2"), column(c, "SELECT id FROM inventory.counter ORDER BY id", 1), "after COMMIT");
            c.setAutoCommit(true);
            assertEquals(source.currentBinlogFile(), row(c, "SHOW MASTER STATUS").get("File"), "outside a snapshot, the log's");
        }
    }

    @Test
    void whatTheLogOwnsStaysTheLogs() throws Exception {
        try (Connection c = connect(replayer)) {
            Map<String, String> fromLog = row(c, "SELECT @@server_id AS id, @@server_uuid AS uuid");
            assertEquals(Map.of("id", "1", "uuid", source.serverUuid()), fromLog);
            assertNotEquals(backend.serverUuid(), fromLog.get("uuid"));
            // The log may trail the source a moment; it never shows the backend's own state.
            String logGtids = row(c, "SELECT @@global.gtid_executed AS g").get("g").replaceAll("\\s", "");
            assertTrue(logGtids.startsWith(source.serverUuid() + ":1-"), logGtids);
            assertEquals(source.currentBinlogFile(), column(c, "SHOW BINARY LOGS", 1).get(column(c, "SHOW BINARY LOGS", 1).size() - 1));
        }
    }

    @Test
    void withoutTheOptionTheErrorNamesIt() throws Exception {
        try (Connection c = connect(replayerAlone); Statement st = c.createStatement()) {
            for (String sql : List.of("SELECT * FROM inventory.typed", "SHOW CREATE TABLE inventory.typed", "FLUSH TABLES WITH READ LOCK")) {
                SQLException e = assertThrows(SQLException.class, () -> st.execute(sql), sql);
                assertEquals(1235, e.getErrorCode(), sql + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("--query-backend"), e.getMessage());
            }
            // The connection stays usable.
            assertEquals("1", row(c, "SELECT 1 AS one").get("one"));
        }
    }

    /**
     * A table read twice the size of the replayer's heap streams through it: rows go out as the backend sends them,
     * never collected whole. Read with Connector/J's streaming mode so the client holds no more than a row either.
     * The table is written on the backend alone with sql_log_bin=0, so the log and the backend's GTID set are untouched.
     */
    @Test
    void aTableReadLargerThanTheReplayersHeapStreamsThrough() throws Exception {
        int rowBytes = 1000;
        backend.execute("SET sql_log_bin = 0", "CREATE DATABASE bulk",
                "CREATE TABLE bulk.wide (id INT AUTO_INCREMENT PRIMARY KEY, pad VARBINARY(1000)) ENGINE=InnoDB",
                "INSERT INTO bulk.wide (pad) VALUES (RANDOM_BYTES(" + rowBytes + "))");
        for (int i = 0; i < 17; i++) { // 2^17 rows of 1000 bytes: 131 MB
            backend.execute("SET sql_log_bin = 0", "INSERT INTO bulk.wide (pad) SELECT RANDOM_BYTES(" + rowBytes + ") FROM bulk.wide");
        }
        List<String> expected = backend.queryRows("SELECT COUNT(*), SUM(CRC32(pad)) FROM bulk.wide").get(0);
        try (ReplayerProcess small = ReplayerProcess.launch(io.binlogbridge.it.fixtures.TestDirs.newTempDir("replayer-64m"),
                List.of("-Xmx64m"), cluster.kafka.bootstrap(), cluster.topic,
                "--query-backend", "127.0.0.1:" + backend.port(), "--query-backend-user", "root");
             Connection c = connect(small);
             Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(Integer.MIN_VALUE);
            long rows = 0;
            long crcSum = 0;
            long bytes = 0;
            long started = System.nanoTime();
            try (ResultSet rs = st.executeQuery("SELECT pad FROM bulk.wide")) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                while (rs.next()) {
                    byte[] pad = rs.getBytes(1);
                    crc.reset();
                    crc.update(pad);
                    crcSum += crc.getValue();
                    bytes += pad.length;
                    rows++;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("streamed %d rows, %.1f MB through a -Xmx64m replayer in %.2f s (%.1f MB/s)%n",
                    rows, bytes / 1e6, seconds, bytes / 1e6 / seconds);
            assertEquals(expected, List.of(Long.toString(rows), Long.toString(crcSum)), "row count and sum of CRC32s");
            assertEquals(131_072_000L, bytes);
            // The connection and the replayer are fine after it.
            assertEquals("1", row(c, "SELECT 1 AS one").get("one"));
        } finally {
            backend.execute("SET sql_log_bin = 0", "DROP DATABASE bulk");
        }
    }
}
