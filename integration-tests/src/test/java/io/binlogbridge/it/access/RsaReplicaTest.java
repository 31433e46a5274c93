package io.binlogbridge.it.access;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, caching_sha2_password without TLS: the users file holds MySQL's own stored hashes ({@code $A$005$…},
 * copied as {@code 0x} + HEX(authentication_string) from the source's mysql.user), which only a password can be checked
 * against. So a client's first login is a full authentication: without TLS, it fetches the replayer's RSA public key
 * and sends the password encrypted with it. A MySQL 8.0 replica ({@code GET_MASTER_PUBLIC_KEY=1}) and Connector/J
 * ({@code allowPublicKeyRetrieval=true}) log in so; a cleartext password gets 1045 from the replayer as from MySQL;
 * a user's {@code max_user_connections=1} refuses its second connection with 1226.
 */
class RsaReplicaTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final String TOPIC = "access-rsa";
    private static final String PASSWORD = "Rsa-Secret-1";

    private static KafkaBroker kafka;
    private static MySqlServer source;
    private static RelayProcess relay;
    private static ReplayerProcess replayer;
    private static MySqlServer replica;

    @BeforeAll
    static void start() {
        // The three servers start side by side: most of this class's time is their start-up.
        CompletableFuture<KafkaBroker> startingKafka = CompletableFuture.supplyAsync(KafkaBroker::launch);
        CompletableFuture<MySqlServer> startingReplica = CompletableFuture.supplyAsync(() -> MySqlServer.builder().gtid(true)
                .serverId(82).name("mysql-replica-rsa").extraArgs("--relay-log=relay", "--skip-slave-start").start());
        source = MySqlServer.builder().gtid(true).serverId(81).name("mysql-src-rsa").start();
        kafka = startingKafka.join();
        replica = startingReplica.join();
        source.createReplicationUser("relay", "relay-Secret1");
        // The accounts the replayer will have, made by MySQL itself: their authentication_string is what the users file holds.
        for (String user : new String[] {"rsa", "jdbc", "fresh", "one"}) {
            source.execute("CREATE USER " + sqlString(user) + "@'%' IDENTIFIED WITH caching_sha2_password BY " + sqlString(PASSWORD));
        }
        source.execute("CREATE DATABASE rsa", "CREATE TABLE rsa.a (id INT PRIMARY KEY, v VARCHAR(64))",
                "CREATE TABLE rsa.b (id INT PRIMARY KEY AUTO_INCREMENT, n BIGINT)");
        for (int i = 0; i < 10; i++) {
            StringBuilder values = new StringBuilder();
            for (int j = 0; j < 50; j++) {
                values.append(j == 0 ? "" : ",").append('(').append(i * 50 + j).append(", 'row ").append(i * 50 + j).append("')");
            }
            source.execute("INSERT INTO rsa.a VALUES " + values, "INSERT INTO rsa.b (n) VALUES (" + i + ")");
        }
        relay = RelayProcess.of(source, "relay", "relay-Secret1", 4081, kafka.bootstrap(), TOPIC).start();
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()),
                    Duration.ofMinutes(2), "relay to reach the source's end");
        }
        String users = "rsa:" + mysqlHash("rsa") + "\n"
                + "jdbc:" + mysqlHash("jdbc") + "\n"
                + "fresh:" + mysqlHash("fresh") + "\n"
                + "one:" + mysqlHash("one") + ":replication,max_user_connections=1\n";
        // The source's own key pair (mysqld wrote it at start; its private key is PKCS#1), as a DBA might reuse it.
        replayer = ReplayerProcess.startWithUsers(users, kafka.bootstrap(), TOPIC, "--max-user-connections", "5",
                "--rsa-private-key", source.dataDir().resolve("private_key.pem").toString(),
                "--rsa-public-key", source.dataDir().resolve("public_key.pem").toString());
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(replica, replayer, relay, source, kafka);
    }

    private static String mysqlHash(String user) {
        String hex = source.queryString("SELECT HEX(authentication_string) FROM mysql.user WHERE user = " + sqlString(user));
        assertTrue(hex.startsWith("244124303035"), "MySQL's $A$005$ form: " + hex);
        return "0x" + hex;
    }

    private static String jdbcUrl(String options) {
        return "jdbc:mysql://127.0.0.1:" + replayer.port() + "/?connectTimeout=10000&socketTimeout=30000&sslMode=DISABLED&" + options;
    }

    private static String fullAuthLogged(String user) {
        return "user '" + user + "' passed caching_sha2_password full authentication with the server's RSA public key";
    }

    @Test
    void mysqlReplicaFetchesThePublicKeyAndReplicates() throws Exception {
        replica.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replayer.port() + ", MASTER_USER='rsa', MASTER_PASSWORD="
                + sqlString(PASSWORD) + ", MASTER_AUTO_POSITION=1, MASTER_SSL=0, GET_MASTER_PUBLIC_KEY=1", "START SLAVE");
        source.execute("INSERT INTO rsa.b (n) VALUES (1000)", "UPDATE rsa.a SET v = 'after RSA login' WHERE id < 40");
        String expected = source.gtidExecuted().replaceAll("\\s", "");
        Replicas.await(replica, () -> expected.equals(replica.gtidExecuted().replaceAll("\\s", "")), CATCH_UP,
                "replica gtid_executed to reach " + expected, replayer::log);
        Replicas.assertHealthy(replica);
        assertEquals("No", Replicas.slaveStatus(replica).get("Master_SSL_Allowed"), "no TLS");
        Replicas.assertSameData(source, replica, "rsa");
        assertTrue(replayer.log().contains(fullAuthLogged("rsa")), "the replica's first login was a full authentication:\n" + replayer.log());
        assertTrue(replayer.log().contains("caching_sha2_password RSA key pair loaded from " + source.dataDir().resolve("private_key.pem")),
                replayer.log());
    }

    @Test
    void connectorJRetrievesTheKeyThenUsesTheFastPath() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (Connection c = DriverManager.getConnection(jdbcUrl("allowPublicKeyRetrieval=true"), "jdbc", PASSWORD);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT @@GLOBAL.SERVER_ID")) {
                assertTrue(rs.next());
                assertEquals(81, rs.getLong(1));
            }
        }
        String log = replayer.log();
        int first = log.indexOf(fullAuthLogged("jdbc"));
        assertTrue(first >= 0, log);
        assertEquals(-1, log.indexOf(fullAuthLogged("jdbc"), first + 1), "the second login took the fast path:\n" + log);
    }

    @Test
    void wrongPasswordIs1045() {
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(jdbcUrl("allowPublicKeyRetrieval=true"), "fresh", "not-" + PASSWORD));
        assertEquals(1045, e.getErrorCode(), e.toString());
        assertEquals("Access denied for user 'fresh'@'localhost' (using password: YES)", e.getMessage());
    }

    @Test
    void clientThatMayNotFetchTheKeyStopsAndCleartextGets1045AsFromMySql() {
        // Connector/J refuses on its side (libmysqlclient's 2061): nothing is sent in the clear.
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(jdbcUrl("allowPublicKeyRetrieval=false"), "fresh", PASSWORD));
        assertEquals("Public Key Retrieval is not allowed", e.getMessage());
        // A client that sends the password in the clear anyway: MySQL answers 1045 without checking it, and so does the replayer.
        CleartextWithoutTlsProbe.Outcome mysql = CleartextWithoutTlsProbe.run(source.port(), "fresh", PASSWORD);
        CleartextWithoutTlsProbe.Outcome bridge = CleartextWithoutTlsProbe.run(replayer.port(), "fresh", PASSWORD);
        assertArrayEquals(new byte[] {0x01, 0x04}, mysql.afterScramble(), "MySQL asks an uncached user for full authentication");
        assertArrayEquals(new byte[] {0x01, 0x04}, bridge.afterScramble());
        assertEquals(1045, mysql.errorCode(), "MySQL");
        assertEquals(1045, bridge.errorCode(), "replayer");
        assertEquals(mysql.errorMessage().replace("'127.0.0.1'", "'localhost'"), bridge.errorMessage());
        assertFalse(replayer.log().contains(fullAuthLogged("fresh")), replayer.log());
    }

    @Test
    void usersOwnConnectionLimitGets1226() throws Exception {
        try (Connection first = DriverManager.getConnection(jdbcUrl("allowPublicKeyRetrieval=true"), "one", PASSWORD)) {
            SQLException e = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(jdbcUrl("allowPublicKeyRetrieval=true"), "one", PASSWORD));
            assertEquals(1226, e.getErrorCode(), e.toString());
            assertEquals("User 'one' has exceeded the 'max_user_connections' resource (current value: 1)", e.getMessage());
            assertTrue(first.isValid(5));
        }
        // The replayer sees the close a moment after the client: poll for the freed slot.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try (Connection again = DriverManager.getConnection(jdbcUrl("allowPublicKeyRetrieval=true"), "one", PASSWORD)) {
                assertTrue(again.isValid(5));
                return;
            } catch (SQLException e) {
                if (e.getErrorCode() != 1226 || System.nanoTime() > deadline) {
                    throw new AssertionError("the closed connection's slot was never freed: " + e, e);
                }
                Thread.sleep(100);
            }
        }
    }
}
