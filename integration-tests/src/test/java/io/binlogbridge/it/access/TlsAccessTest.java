package io.binlogbridge.it.access;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, TLS and users: a replayer with {@code --tls-cert/--tls-key --require-secure-transport} and a users file of
 * hashes made by {@code user add}, in front of a real MySQL source → relay-server → Kafka pipeline. Real clients
 * connect through TLS and verify the certificate (a MySQL 8.0 replica, the mariadb client, Connector/J); a plain
 * client, a client trusting another CA, a wrong password and a user without {@code replication} are refused with
 * MySQL's errors. A changed users file (seen by its modification time, or on SIGHUP) and a renewed certificate are used without a
 * restart.
 */
class TlsAccessTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final String TOPIC = "access-tls";
    private static final String PASSWORD = "Tls-Secret-1";
    /** caching_sha2_password hash, replication (the default). */
    private static final String REPL = "repl";
    /** mysql_native_password hash: a caching_sha2 client over TLS passes full authentication. */
    private static final String LEGACY = "legacy";
    /** caching_sha2_password hash, monitor only. */
    private static final String MONITOR = "mon";

    private static Certificates certs;
    private static KafkaBroker kafka;
    private static MySqlServer source;
    private static RelayProcess relay;
    private static ReplayerProcess replayer;
    /** Without --require-secure-transport, with copies of the certificate files that a test replaces. */
    private static ReplayerProcess reloading;

    @BeforeAll
    static void start() {
        certs = Certificates.generate(TestDirs.newTempDir("certs"));
        kafka = KafkaBroker.launch();
        source = MySqlServer.builder().gtid(true).serverId(71).name("mysql-src-tls").start();
        source.createReplicationUser("relay", "relay-Secret1");
        source.execute("CREATE DATABASE tls", "CREATE TABLE tls.a (id INT PRIMARY KEY, v VARCHAR(64))",
                "CREATE TABLE tls.b (id INT PRIMARY KEY AUTO_INCREMENT, n BIGINT)");
        for (int i = 0; i < 20; i++) {
            StringBuilder values = new StringBuilder();
            for (int j = 0; j < 100; j++) {
                values.append(j == 0 ? "" : ",").append('(').append(i * 100 + j).append(", 'row ").append(i * 100 + j).append("')");
            }
            source.execute("INSERT INTO tls.a VALUES " + values, "INSERT INTO tls.b (n) VALUES (" + i + ")");
        }
        relay = RelayProcess.of(source, "relay", "relay-Secret1", 4071, kafka.bootstrap(), TOPIC).start();
        awaitRelayed();
        String users = "# made by user add\n"
                + userAdd(REPL) + "\n"
                + userAdd(LEGACY, "--auth-plugin", "mysql_native_password") + "\n"
                + userAdd(MONITOR, "--privileges", "monitor") + "\n";
        replayer = ReplayerProcess.startWithUsers(users, kafka.bootstrap(), TOPIC, "--tls-cert", certs.serverCert.toString(),
                "--tls-key", certs.serverKey.toString(), "--require-secure-transport");
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(reloading, replayer, relay, source, kafka);
    }

    private static void awaitRelayed() {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()),
                    Duration.ofMinutes(2), "relay to reach the source's end");
        }
    }

    private static String userAdd(String name, String... options) {
        return UserAdd.line(name, PASSWORD, options);
    }

    private static String jdbcUrl(String sslOptions) {
        return "jdbc:mysql://127.0.0.1:" + replayer.port() + "/?connectTimeout=10000&socketTimeout=30000&" + sslOptions;
    }

    private static String verifyCa(Path trustStore) {
        return "sslMode=VERIFY_CA&trustCertificateKeyStoreUrl=" + trustStore.toUri() + "&trustCertificateKeyStoreType=PKCS12"
                + "&trustCertificateKeyStorePassword=changeit";
    }

    private static MySqlServer startReplica(int serverId) {
        return MySqlServer.builder().gtid(true).serverId(serverId).name("mysql-replica-tls-" + serverId)
                .extraArgs("--relay-log=relay", "--skip-slave-start").start();
    }

    private static String toReplayerOverTls(String user) {
        return "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replayer.port() + ", MASTER_USER=" + sqlString(user)
                + ", MASTER_PASSWORD=" + sqlString(PASSWORD) + ", MASTER_AUTO_POSITION=1, MASTER_SSL=1, MASTER_SSL_CA="
                + sqlString(certs.ca.toString()) + ", MASTER_SSL_VERIFY_SERVER_CERT=1";
    }

    @Test
    void mysqlReplicaReplicatesThroughVerifiedTls() throws Exception {
        try (MySqlServer replica = startReplica(72)) {
            // legacy holds a mysql_native_password hash; the replica's IO thread answers for caching_sha2_password, so
            // the replayer asks it for the password inside TLS (full authentication) and checks it against the hash.
            replica.execute(toReplayerOverTls(LEGACY), "START SLAVE");
            source.execute("INSERT INTO tls.b (n) VALUES (1000)", "UPDATE tls.a SET v = 'after TLS start' WHERE id < 50");
            String expected = source.gtidExecuted().replaceAll("\\s", "");
            Replicas.await(replica, () -> expected.equals(replica.gtidExecuted().replaceAll("\\s", "")), CATCH_UP,
                    "replica gtid_executed to reach " + expected, replayer::log);
            Replicas.assertHealthy(replica);
            Map<String, String> status = Replicas.slaveStatus(replica);
            assertEquals("Yes", status.get("Master_SSL_Allowed"));
            assertEquals("Yes", status.get("Master_SSL_Verify_Server_Cert"));
            Replicas.assertSameData(source, replica, "tls");
            assertTrue(replayer.log().contains("user 'legacy' passed caching_sha2_password full authentication over TLS"),
                    "the replica logged in by full authentication:\n" + replayer.log());
        }
    }

    @Test
    void replicaWithoutReplicationPrivilegeGets1227() throws Exception {
        try (MySqlServer replica = startReplica(73)) {
            replica.execute(toReplayerOverTls(MONITOR), "START SLAVE");
            String wanted = "Access denied; you need (at least one of) the REPLICATION SLAVE privilege(s) for this operation";
            Replicas.await(replica, () -> Replicas.slaveStatus(replica).getOrDefault("Last_IO_Error", "").contains(wanted)
                            || "No".equals(Replicas.slaveStatus(replica).get("Slave_IO_Running")),
                    CATCH_UP, "the replica's IO thread to be refused", replayer::log);
            Map<String, String> status = Replicas.slaveStatus(replica);
            assertTrue(status.get("Last_IO_Error").contains(wanted + " (Errno: 1227)"), Replicas.describe(status));
            assertEquals("", replica.gtidExecuted().replaceAll("\\s", ""), "nothing replicated");
        }
    }

    @Test
    void connectorJVerifiesTheCaAndQueries() throws Exception {
        Path trust = certs.trustStore(certs.ca, "ca");
        try (Connection c = DriverManager.getConnection(jdbcUrl(verifyCa(trust)), REPL, PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.SERVER_ID")) {
            assertTrue(rs.next());
            assertEquals(71, rs.getLong(1));
        }
    }

    @Test
    void mariadbClientVerifiesTheServerCertificate() {
        ClientRun run = mariadb(certs.ca, LEGACY, PASSWORD, "SELECT @@GLOBAL.SERVER_ID");
        assertEquals(0, run.exit, run.output);
        assertEquals("71", run.output.strip());
    }

    @Test
    void clientTrustingAnotherCaRefusesTheServer() {
        ClientRun run = mariadb(certs.otherCa, LEGACY, PASSWORD, "SELECT 1");
        assertNotEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("certificate verify failed") || run.output.contains("unable to get local issuer certificate"),
                run.output);
        Path trust = certs.trustStore(certs.otherCa, "other-ca");
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(jdbcUrl(verifyCa(trust)), REPL, PASSWORD));
        assertTrue(causedBy(e, SSLHandshakeException.class), "a TLS handshake failure: " + e);
    }

    /** mysql-binlog-connector-java (Debezium's client) dumps over TLS, caching_sha2_password's full authentication inside it. */
    @Test
    void binaryLogClientDumpsOverTls() throws Exception {
        com.github.shyiko.mysql.binlog.BinaryLogClient client =
                new com.github.shyiko.mysql.binlog.BinaryLogClient("127.0.0.1", replayer.port(), REPL, PASSWORD);
        client.setSSLMode(com.github.shyiko.mysql.binlog.network.SSLMode.REQUIRED);
        client.setServerId(7102);
        client.setKeepAlive(false);
        client.setBinlogFilename("");
        client.setBinlogPosition(4);
        java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(1);
        client.registerEventListener(event -> {
            if (event.getHeader().getEventType() == com.github.shyiko.mysql.binlog.event.EventType.XID && commits.incrementAndGet() == 40) {
                all.countDown();
            }
        });
        client.connect(10_000);
        try {
            assertTrue(all.await(60, java.util.concurrent.TimeUnit.SECONDS), "40 commits over TLS, got " + commits.get());
        } finally {
            client.disconnect();
        }
    }

    @Test
    void plainClientIsRefusedWith3159() {
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(jdbcUrl("sslMode=DISABLED&allowPublicKeyRetrieval=false"), REPL, PASSWORD));
        assertEquals(3159, e.getErrorCode(), e.toString());
        assertEquals("HY000", e.getSQLState());
        assertEquals("Connections using insecure transport are prohibited while --require_secure_transport=ON.", e.getMessage());
    }

    @Test
    void wrongPasswordOverTlsIs1045() {
        Path trust = certs.trustStore(certs.ca, "ca-1045");
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(jdbcUrl(verifyCa(trust)), REPL, "not-" + PASSWORD));
        assertEquals(1045, e.getErrorCode(), e.toString());
        assertEquals("Access denied for user 'repl'@'localhost' (using password: YES)", e.getMessage());
    }

    @Test
    void usersFileAndCertificateChangesTakeEffectWithoutRestart() throws Exception {
        Path cert = Files.copy(certs.serverCert, certs.dir.resolve("reloading.pem"));
        Path key = Files.copy(certs.serverKey, certs.dir.resolve("reloading-key.pem"));
        reloading = ReplayerProcess.startWithUsers(userAdd(REPL) + "\n", kafka.bootstrap(), TOPIC, "--tls-cert", cert.toString(),
                "--tls-key", key.toString());
        String url = "jdbc:mysql://127.0.0.1:" + reloading.port() + "/?connectTimeout=10000&";
        Path trustCa = certs.trustStore(certs.ca, "ca-reload");
        Path trustOther = certs.trustStore(certs.otherCa, "other-ca-reload");

        SQLException unknown = assertThrows(SQLException.class, () -> DriverManager.getConnection(url + verifyCa(trustCa), "late", PASSWORD));
        assertEquals(1045, unknown.getErrorCode());
        Files.writeString(reloading.usersFile(), userAdd("late") + "\n", StandardOpenOption.APPEND);
        awaitConnects(url + verifyCa(trustCa), "late", "the added user");
        assertTrue(reloading.log().contains("reloaded: added 'late' (replication)"), reloading.log());

        assertThrows(SQLException.class, () -> DriverManager.getConnection(url + verifyCa(trustOther), REPL, PASSWORD));
        Path[] renewed = certs.renewedByOtherCa();
        Files.copy(renewed[1], key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed[0], cert, StandardCopyOption.REPLACE_EXISTING);
        awaitConnects(url + verifyCa(trustOther), REPL, "the renewed certificate");
        SQLException old = assertThrows(SQLException.class, () -> DriverManager.getConnection(url + verifyCa(trustCa), REPL, PASSWORD));
        assertTrue(causedBy(old, SSLHandshakeException.class), "the old CA no longer verifies the server: " + old);
        assertTrue(reloading.log().contains("TLS certificate reloaded from " + cert), reloading.log());

        // A change the watcher cannot see (same inode, size and modification time) is read on SIGHUP.
        FileTime mtime = Files.getLastModifiedTime(reloading.usersFile());
        Files.writeString(reloading.usersFile(), Files.readString(reloading.usersFile()).replace("late:", "lat2:"));
        Files.setLastModifiedTime(reloading.usersFile(), mtime);
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(reloading.pid())).start();
        assertEquals(0, hup.waitFor(), "kill -HUP");
        awaitConnects(url + verifyCa(trustOther), "lat2", "the user renamed before SIGHUP");
        assertTrue(reloading.log().contains("reloaded: added 'lat2' (replication); removed 'late'"), reloading.log());
    }

    /** Polls until {@code user} connects (the replayer reloads within about a second). */
    private static void awaitConnects(String url, String user, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(url, user, PASSWORD)) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("never connected with " + what + ": " + e + "\n" + reloading.log(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private record ClientRun(int exit, String output) {}

    /** The mariadb command-line client, TLS with the server's certificate verified against {@code ca}; output and errors. */
    private static ClientRun mariadb(Path ca, String user, String password, String sql) {
        List<String> cmd = List.of("mariadb", "--no-defaults", "--ssl", "--ssl-verify-server-cert", "--ssl-ca=" + ca,
                "-h", "127.0.0.1", "-P", Integer.toString(replayer.port()), "-u", user, "-p" + password, "-N", "-B", "-e", sql);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                Processes.kill(p.toHandle());
                throw new AssertionError("mariadb client did not finish: " + output);
            }
            return new ClientRun(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
