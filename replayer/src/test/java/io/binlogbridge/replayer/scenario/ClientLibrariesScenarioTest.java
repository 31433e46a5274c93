package io.binlogbridge.replayer.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.server.sql.BinaryLog;
import io.binlogbridge.server.sql.BinlogPosition;
import io.binlogbridge.schemas.Flavor;
import io.binlogbridge.server.sql.ServerIdentity;
import io.binlogbridge.server.sql.StaticLogState;
import io.binlogbridge.replayer.server.DumpRequest;
import io.binlogbridge.replayer.server.ReplayerServer;
import io.binlogbridge.replayer.server.UnavailableDumpRequestHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real client libraries against an in-process ReplayerServer: they connect, authenticate, query, and ask for the dump. */
@Timeout(60)
class ClientLibrariesScenarioTest {
    static final String USER = "repl";
    static final String PASSWORD = "s3cret-pw";
    static final List<DumpRequest> DUMPS = new CopyOnWriteArrayList<>();
    static ReplayerServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        ServerIdentity identity = new ServerIdentity(Flavor.MYSQL, "8.0.40", 42, "3e11fa47-71ca-11e1-9e33-c80aa9429562",
                "CRC32", true, 0, "binlog-bridge replayer");
        StaticLogState state = new StaticLogState(identity,
                List.of(new BinaryLog("binlog.000001", 1200, false), new BinaryLog("binlog.000002", 4567, false)),
                new BinlogPosition("binlog.000002", 4567), "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77", "");
        server = new ReplayerServer(new ReplayerServer.Settings("127.0.0.1", 0, Map.of(USER, PASSWORD), state,
                (ctx, session, request) -> {
                    DUMPS.add(request);
                    UnavailableDumpRequestHandler.INSTANCE.startDump(ctx, session, request);
                }, 16 * 1024 * 1024, 2));
        port = server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String oneString(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    static Map<String, String> variables(Statement st, String sql) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString("Variable_name"), rs.getString("Value"));
            }
        }
        return out;
    }

    @Test
    void connectorJRunsDebeziumStatements() throws Exception {
        String url = "jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=false&connectTimeout=10000";
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement st = c.createStatement()) {
            st.execute("SET autocommit=1");
            st.execute("SET NAMES utf8mb4");
            st.execute("SET sql_mode='STRICT_TRANS_TABLES'");
            try (ResultSet rs = st.executeQuery("SHOW BINARY LOG STATUS")) {
                assertTrue(rs.next());
                assertEquals("binlog.000002", rs.getString("File"));
                assertEquals(4567L, rs.getLong("Position"));
                assertEquals("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77", rs.getString("Executed_Gtid_Set"));
            }
            assertEquals("8.0.40", oneString(st, "SELECT VERSION()"));
            try (ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
                assertTrue(rs.next());
                assertEquals("binlog.000002", rs.getString(1));
            }
            Map<String, String> vars = variables(st, "SHOW VARIABLES");
            assertEquals("0", vars.get("lower_case_table_names"));
            assertEquals("42", vars.get("server_id"));
            assertEquals("ROW", variables(st, "SHOW GLOBAL VARIABLES LIKE 'binlog_format'").get("binlog_format"));
            assertEquals("FULL", variables(st, "SHOW GLOBAL VARIABLES LIKE 'binlog_row_image'").get("binlog_row_image"));
            assertEquals("ON", variables(st, "SHOW GLOBAL VARIABLES LIKE 'GTID_MODE'").get("gtid_mode"));
            try (ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
                assertTrue(rs.next());
                assertEquals("binlog.000001", rs.getString("Log_name"));
                assertEquals(1200L, rs.getLong("File_size"));
                assertTrue(rs.next());
                assertFalse(rs.next());
            }
            assertEquals("", oneString(st, "SELECT @@global.gtid_purged"));
            assertEquals(1, Integer.parseInt(oneString(st, "SELECT 1")));
            assertTrue(c.isValid(5)); // COM_PING
            c.setAutoCommit(false);
            c.rollback();
            c.setAutoCommit(true);
            // Unknown variable: an error, and the connection stays usable.
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT @@global.rpl_semi_sync_master_enabled"));
            assertEquals(MySqlConstants.ER_UNKNOWN_SYSTEM_VARIABLE, e.getErrorCode());
            SQLException syntax = assertThrows(SQLException.class, () -> st.execute("FROBNICATE the table"));
            assertEquals(MySqlConstants.ER_PARSE_ERROR, syntax.getErrorCode());
            st.execute("SET @master_binlog_checksum= @@global.binlog_checksum");
            assertEquals("CRC32", oneString(st, "SELECT @master_binlog_checksum"));
            try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.SERVER_ID, @@server_uuid AS u")) {
                assertTrue(rs.next());
                assertEquals(42L, rs.getLong("@@GLOBAL.SERVER_ID"));
                assertEquals("3e11fa47-71ca-11e1-9e33-c80aa9429562", rs.getString("u"));
            }
        }
    }

    @Test
    void connectorJWrongPasswordIs1045() {
        String url = "jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=false";
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, USER, "wrong"));
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, e.getErrorCode());
        assertTrue(e.getMessage().contains("Access denied for user 'repl'@'localhost' (using password: YES)"), e.getMessage());
        SQLException unknown = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "nobody", ""));
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, unknown.getErrorCode());
    }

    @Test
    void connectorJWithNativePassword() throws Exception {
        String url = "jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=false&defaultAuthenticationPlugin=mysql_native_password";
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement st = c.createStatement()) {
            assertEquals("1", oneString(st, "SELECT 1"));
        }
    }

    @Test
    void mariaDbDriverConnects() throws Exception {
        String url = "jdbc:mariadb://127.0.0.1:" + port + "/?sslMode=disable";
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement st = c.createStatement()) {
            assertEquals("1", oneString(st, "SELECT 1"));
            assertEquals("42", variables(st, "SHOW VARIABLES LIKE 'SERVER_ID'").get("server_id"));
            st.execute("SET @mariadb_slave_capability=4");
            assertEquals("4", oneString(st, "SELECT @mariadb_slave_capability"));
            assertTrue(c.isValid(5));
        }
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, USER, "nope"));
        assertEquals(MySqlConstants.ER_ACCESS_DENIED_ERROR, e.getErrorCode());
    }

    @Test
    void binaryLogClientReachesTheDumpRequest() throws Exception {
        DUMPS.clear();
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", port, USER, PASSWORD);
        client.setServerId(4711);
        client.setBinlogFilename("binlog.000002");
        client.setBinlogPosition(1234);
        client.setKeepAlive(false);
        client.setHeartbeatInterval(1000);
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                failure.set(ex);
                failed.countDown();
            }
        });
        Thread t = new Thread(() -> {
            try {
                client.connect();
            } catch (Exception ex) {
                failure.compareAndSet(null, ex);
                failed.countDown();
            }
        });
        t.start();
        assertTrue(failed.await(20, TimeUnit.SECONDS), "client should fail on the placeholder ERR 1236");
        client.disconnect();
        t.join(10_000);
        assertNotNull(failure.get());
        assertTrue(String.valueOf(failure.get().getMessage()).contains("binlog dump is not available"), String.valueOf(failure.get()));
        assertEquals(1, DUMPS.size());
        DumpRequest req = DUMPS.get(0);
        assertEquals(MySqlConstants.COM_BINLOG_DUMP, req.command());
        assertEquals("binlog.000002", req.binlogFile());
        assertEquals(1234, req.position());
        assertEquals(4711, req.serverId());
        assertNull(req.gtidSet());
        assertEquals("CRC32", req.settings().masterBinlogChecksum());
        assertEquals(1_000_000_000L, req.settings().heartbeatPeriodNanos());
    }

    @Test
    void binaryLogClientGtidDumpCarriesTheEncodedSet() throws Exception {
        DUMPS.clear();
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", port, USER, PASSWORD);
        client.setServerId(4712);
        client.setKeepAlive(false);
        client.setGtidSet("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
        CountDownLatch failed = new CountDownLatch(1);
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                failed.countDown();
            }
        });
        Thread t = new Thread(() -> {
            try {
                client.connect();
            } catch (Exception ex) {
                failed.countDown();
            }
        });
        t.start();
        assertTrue(failed.await(20, TimeUnit.SECONDS));
        client.disconnect();
        t.join(10_000);
        assertEquals(1, DUMPS.size());
        DumpRequest req = DUMPS.get(0);
        assertEquals(MySqlConstants.COM_BINLOG_DUMP_GTID, req.command());
        assertEquals(4712, req.serverId());
        // Gtid_set::encode: n_sids(8), sid(16), n_intervals(8), start(8), end(8) = 48 bytes for one interval.
        assertEquals(48, req.gtidSet().length);
        assertEquals(1, req.gtidSet()[0]);
    }

    @Test
    void garbageOnOneConnectionDoesNotAffectAnother() throws Exception {
        String url = "jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=false";
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD); Statement st = c.createStatement();
             Socket raw = new Socket("127.0.0.1", port)) {
            raw.setSoTimeout(5000);
            InputStream in = raw.getInputStream();
            OutputStream out = raw.getOutputStream();
            readPacket(in); // greeting
            out.write(new byte[] {5, 0, 0, 1, (byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 0x42});
            out.flush();
            byte[] err = readPacket(in);
            assertEquals((byte) 0xFF, err[0]);
            assertEquals(-1, in.read(), "server closes the garbage connection");
            assertEquals("1", oneString(st, "SELECT 1"));
        }
    }

    static byte[] readPacket(InputStream in) throws Exception {
        byte[] header = in.readNBytes(4);
        int len = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        return in.readNBytes(len);
    }
}
