package io.binlogbridge.it.access;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, one replayer for many clusters: two MySQL 8.0 sources, a relay each into its own topic, one replayer with
 * {@code --cluster a=TOPIC_A --cluster b=TOPIC_B}. A replica per cluster, logging in as {@code replica|a} and
 * {@code replica|b}, ends equal to its own source; SHOW BINARY LOGS differs per cluster and is that topic's files; a user
 * granted only {@code replication@a} is refused cluster b's dump with 1227; an unknown cluster is refused with 1049.
 */
class MultiClusterReplayerTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final String RELAY_USER = "relay";
    private static final String RELAY_PASSWORD = "relay-Secret1";
    private static final String TOPIC_A = "multi-cluster-a";
    private static final String TOPIC_B = "multi-cluster-b";
    private static final String ONLY_A = "only_a";
    private static final String ONLY_A_PASSWORD = "only-a-Secret1";

    private static KafkaBroker kafka;
    private static MySqlServer sourceA;
    private static MySqlServer sourceB;
    private static RelayProcess relayA;
    private static RelayProcess relayB;
    private static ReplayerProcess replayer;
    private static MySqlServer replicaA;
    private static MySqlServer replicaB;

    @BeforeAll
    static void startClusters() throws Exception {
        // Everything that does not depend on another starts at once: the broker, two sources and two replicas.
        CompletableFuture<KafkaBroker> startingKafka = CompletableFuture.supplyAsync(KafkaBroker::launch);
        CompletableFuture<MySqlServer> startingA = CompletableFuture.supplyAsync(() -> source(31, "a"));
        CompletableFuture<MySqlServer> startingB = CompletableFuture.supplyAsync(() -> source(32, "b"));
        CompletableFuture<MySqlServer> startingReplicaA = CompletableFuture.supplyAsync(() -> replica(33));
        CompletableFuture<MySqlServer> startingReplicaB = CompletableFuture.supplyAsync(() -> replica(34));
        kafka = startingKafka.join();
        // The replayer needs only Kafka: it follows each topic from wherever it is, the relays may write later.
        replayer = ReplayerProcess.startWithoutTopic(ReplayerProcess.USER + ":" + ReplayerProcess.PASSWORD + "\n"
                        + ONLY_A + ":" + ONLY_A_PASSWORD + ":replication@a\n",
                kafka.bootstrap(), "--cluster", "a=" + TOPIC_A, "--cluster", "b=" + TOPIC_B);
        sourceA = startingA.join();
        sourceB = startingB.join();
        replicaA = startingReplicaA.join();
        replicaB = startingReplicaB.join();
        workload(sourceA, "shop_a", 3);
        workload(sourceB, "shop_b", 7);
        // Cluster b's log has one file more than a's, so their SHOW BINARY LOGS differ in names, not only sizes.
        sourceB.execute("FLUSH BINARY LOGS", "INSERT INTO shop_b.items VALUES (100, 'after rotation')");
        relayA = RelayProcess.of(sourceA, RELAY_USER, RELAY_PASSWORD, 4031, kafka.bootstrap(), TOPIC_A).start();
        relayB = RelayProcess.of(sourceB, RELAY_USER, RELAY_PASSWORD, 4032, kafka.bootstrap(), TOPIC_B).start();
        replayer.awaitListening(Duration.ofSeconds(60));
        awaitRelayed(sourceA, TOPIC_A);
        awaitRelayed(sourceB, TOPIC_B);
    }

    private static MySqlServer source(int serverId, String cluster) {
        MySqlServer source = MySqlServer.builder().gtid(true).serverId(serverId).name("mysql-cluster-" + cluster).start();
        source.createReplicationUser(RELAY_USER, RELAY_PASSWORD);
        return source;
    }

    private static MySqlServer replica(int serverId) {
        return MySqlServer.builder().gtid(true).serverId(serverId).name("mysql-cluster-replica-" + serverId)
                .extraArgs("--relay-log=relay", "--skip-slave-start").start();
    }

    @AfterAll
    static void tearDown() {
        // In parallel: each mysqld takes seconds to shut down.
        CompletableFuture.allOf(Stream.of(replicaA, replicaB, replayer, relayA, relayB, sourceA, sourceB, kafka)
                .filter(Objects::nonNull)
                .map(r -> CompletableFuture.runAsync(() -> Cleanup.closeAll(r)))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** Two tables (CHECKSUM TABLE compares at least two) with {@code rows} rows each, in few transactions. */
    private static void workload(SourceDatabase source, String schema, int rows) {
        StringBuilder items = new StringBuilder();
        StringBuilder notes = new StringBuilder();
        for (int i = 1; i <= rows; i++) {
            items.append(i > 1 ? ", " : "").append("(").append(i).append(", 'item ").append(i).append("')");
            notes.append(i > 1 ? ", " : "").append("(").append(i).append(", REPEAT('n', ").append(i * 10).append("))");
        }
        source.execute("CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".items (id INT PRIMARY KEY, name VARCHAR(100))",
                "CREATE TABLE " + schema + ".notes (id INT PRIMARY KEY, note TEXT)",
                "INSERT INTO " + schema + ".items VALUES " + items,
                "INSERT INTO " + schema + ".notes VALUES " + notes);
    }

    private static void awaitRelayed(SourceDatabase source, String topic) {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()),
                    Duration.ofMinutes(2), "relay to catch up with " + source);
        }
    }

    @Test
    void eachReplicaFollowsItsOwnCluster() throws Exception {
        follow(replicaA, "a");
        follow(replicaB, "b");
        sourceA.execute("INSERT INTO shop_a.items VALUES (50, 'while replicating')");
        sourceB.execute("UPDATE shop_b.notes SET note = 'changed' WHERE id = 2");
        awaitSame(sourceA, replicaA, "shop_a");
        awaitSame(sourceB, replicaB, "shop_b");
        // Each cluster lists its own replica only.
        try (Connection a = connect(ReplayerProcess.USER + "|a", ReplayerProcess.PASSWORD);
             Connection b = connect(ReplayerProcess.USER + "|b", ReplayerProcess.PASSWORD)) {
            assertEquals(List.of("33"), column(a, "SHOW SLAVE HOSTS"), "replicas of cluster a");
            assertEquals(List.of("34"), column(b, "SHOW SLAVE HOSTS"), "replicas of cluster b");
        }
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static void follow(MySqlServer replica, String cluster) throws SQLException {
        replica.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replayer.port() + ", MASTER_USER="
                + sqlString(ReplayerProcess.USER + "|" + cluster) + ", MASTER_PASSWORD=" + sqlString(ReplayerProcess.PASSWORD)
                + ", MASTER_AUTO_POSITION=1", "START SLAVE");
    }

    private static void awaitSame(MySqlServer source, MySqlServer replica, String schema) throws InterruptedException {
        String expected = gtidSet(source);
        Replicas.await(replica, () -> expected.equals(gtidSet(replica)), CATCH_UP,
                "replica gtid_executed to reach " + expected, replayer::log);
        Replicas.assertHealthy(replica);
        assertEquals(expected, gtidSet(replica), "gtid_executed of the replica of " + schema);
        Replicas.assertSameData(source, replica, schema);
    }

    private static String gtidSet(MySqlServer db) {
        return db.queryString("SELECT @@global.gtid_executed").replaceAll("\\s", "");
    }

    @Test
    void showBinaryLogsIsEachClustersOwn() throws Exception {
        List<List<String>> expectedA = topicFiles(TOPIC_A);
        List<List<String>> expectedB = topicFiles(TOPIC_B);
        assertNotEquals(expectedA, expectedB, "the two topics hold different files");
        try (Connection a = connect(ReplayerProcess.USER + "|a", ReplayerProcess.PASSWORD);
             Connection b = connect(ReplayerProcess.USER + "|b", ReplayerProcess.PASSWORD)) {
            assertEquals(expectedA, binaryLogs(a), "SHOW BINARY LOGS as replica|a");
            assertEquals(expectedB, binaryLogs(b), "SHOW BINARY LOGS as replica|b");
            assertEquals(sourceA.serverUuid(), query(a, "SELECT @@server_uuid"), "cluster a's identity");
            assertEquals(sourceB.serverUuid(), query(b, "SELECT @@server_uuid"), "cluster b's identity");
            // USE switches a query connection to another cluster.
            try (Statement st = a.createStatement()) {
                st.execute("USE b");
            }
            assertEquals(expectedB, binaryLogs(a), "SHOW BINARY LOGS after USE b");
            SQLException unknown = assertThrows(SQLException.class, () -> {
                try (Statement st = a.createStatement()) {
                    st.execute("USE c");
                }
            });
            assertEquals(1049, unknown.getErrorCode(), unknown.getMessage());
        }
        SQLException unknownAtLogin = assertThrows(SQLException.class, () -> connect(ReplayerProcess.USER + "|c", ReplayerProcess.PASSWORD).close());
        assertEquals(1049, unknownAtLogin.getErrorCode(), unknownAtLogin.getMessage());
        assertEquals("Unknown database 'c'", unknownAtLogin.getMessage());
    }

    /** Name and size of each file the topic holds, as SHOW BINARY LOGS should list them. */
    private static List<List<String>> topicFiles(String topic) {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
            List<List<String>> files = new ArrayList<>();
            for (Map.Entry<String, byte[]> f : TopicContents.rebuildFiles(contents.readToEnd(Duration.ofSeconds(30))).entrySet()) {
                files.add(List.of(f.getKey(), Integer.toString(f.getValue().length)));
            }
            return files;
        }
    }

    private static List<List<String>> binaryLogs(Connection c) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                rows.add(List.of(rs.getString(1), rs.getString(2)));
            }
        }
        return rows;
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + replayer.port()
                + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=10000", user, password);
    }

    @Test
    void aUserGrantedOnlyClusterAIsRefusedClusterBsDump() throws Exception {
        assertEquals(1227, dumpError(ONLY_A + "|b"), "dump of cluster b by a user granted replication@a");
        // The same user may read cluster a (granted only there, it needs no |a either).
        assertEquals(0, dumpError(ONLY_A));        // Nor may it list cluster b's files and positions; cluster a's it may.
        try (Connection b = connect(ONLY_A + "|b", ONLY_A_PASSWORD); Statement st = b.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SHOW BINARY LOGS"));
            assertEquals(1227, e.getErrorCode(), e.getMessage());
        }
        try (Connection a = connect(ONLY_A, ONLY_A_PASSWORD); Statement st = a.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            assertTrue(rs.next(), "cluster a's files");
        }
    }

    /** The error code of a dump from the start of the log as {@code user}, 0 when events arrive. */
    private static int dumpError(String user) throws Exception {
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", replayer.port(), user, ONLY_A_PASSWORD);
        client.setServerId(7301);
        client.setKeepAlive(false);
        client.setBinlogFilename("");
        client.setBinlogPosition(4);
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch outcome = new CountDownLatch(1);
        client.registerEventListener(event -> outcome.countDown());
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                failure.set(ex);
                outcome.countDown();
            }
        });
        try {
            client.connect(TimeUnit.SECONDS.toMillis(30));
            assertTrue(outcome.await(30, TimeUnit.SECONDS), "neither an event nor an error within 30 s\n" + replayer.log());
        } catch (ServerException e) {
            failure.set(e);
        } finally {
            client.disconnect();
        }
        if (failure.get() == null) {
            return 0;
        }
        ServerException error = failure.get() instanceof ServerException se ? se : null;
        assertNotNull(error, "a server error, got " + failure.get());
        return error.getErrorCode();
    }
}
