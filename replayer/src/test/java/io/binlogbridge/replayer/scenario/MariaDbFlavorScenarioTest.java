package io.binlogbridge.replayer.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The replayer impersonating a MariaDB source: MariaDB's driver and BinaryLogClient (MariaDB mode), plus a GTID dump. */
@Timeout(60)
class MariaDbFlavorScenarioTest {
    static final List<DumpRequest> DUMPS = new CopyOnWriteArrayList<>();
    static ReplayerServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        ServerIdentity identity = new ServerIdentity(Flavor.MARIADB, "10.11.6-MariaDB-log", 7, "00000000-0000-0000-0000-000000000007",
                "CRC32", false, 0, "mariadb.org binary distribution");
        StaticLogState state = new StaticLogState(identity, List.of(new BinaryLog("mariadb-bin.000003", 900, false)),
                new BinlogPosition("mariadb-bin.000003", 900), "0-7-120", "");
        server = new ReplayerServer(new ReplayerServer.Settings("127.0.0.1", 0, Map.of("maria", "pw"), state,
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

    @Test
    void mariaDbDriverSeesAMariaDbServer() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?sslMode=disable", "maria", "pw");
             Statement st = c.createStatement()) {
            assertTrue(c.getMetaData().getDatabaseProductVersion().startsWith("10.11.6"), c.getMetaData().getDatabaseProductVersion());
            try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_domain_id")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1));
            }
            try (ResultSet rs = st.executeQuery("SELECT binlog_gtid_pos('mariadb-bin.000003', 4)")) {
                assertTrue(rs.next());
                assertEquals(null, rs.getString(1));
            }
        }
    }

    @Test
    void binaryLogClientInMariaDbModeReachesTheDump() throws Exception {
        DUMPS.clear();
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", port, "maria", "pw");
        client.setServerId(900);
        client.setKeepAlive(false);
        client.setGtidSet("0-7-100");
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
        assertEquals(MySqlConstants.COM_BINLOG_DUMP, req.command());
        assertEquals("0-7-100", req.settings().slaveConnectState());
        assertTrue(req.settings().mariaDbClient());
    }
}
