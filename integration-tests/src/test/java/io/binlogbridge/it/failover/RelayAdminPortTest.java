package io.binlogbridge.it.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.access.Certificates;
import io.binlogbridge.it.fixtures.FreePorts;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.schemas.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10, proof 3: the switch made at runtime on relay-server's admin port, with the statements an HA tool
 * sends a MySQL replica (STOP REPLICA, CHANGE REPLICATION SOURCE TO / CHANGE MASTER TO, START REPLICA, SHOW
 * REPLICA STATUS), through Connector/J. Topology: a GTID primary P with a replica R; a server O of another
 * cluster. The relay starts on P; refusals leave the topic untouched and show in SHOW REPLICA STATUS; after P
 * dies, R is promoted and the relay follows it as term 2 without a restart. Issue 12: an admin port with TLS
 * required and the RSA key pair given, on a second relay.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayAdminPortTest {
    private static final String USER = "repl";
    private static final String PASSWORD = "repl-Secret1";
    private static final String ADMIN = "ha";
    private static final String ADMIN_PASSWORD = "ha-Secret1";
    private static final String MONITOR = "watcher";
    private static final String MONITOR_PASSWORD = "watch-Secret1";
    private static final String TOPIC = "admin-switch";
    private static final Duration WAIT = Duration.ofMinutes(1);

    private static KafkaBroker kafka;
    private static MySqlServer primary;
    private static MySqlServer replica;
    private static MySqlServer other;
    private static RelayProcess relay;
    private static int adminPort;
    private static Path users;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.launch();
        primary = MySqlServer.builder().name("p").serverId(1).innodbLogFileSize("48M").start();
        replica = MySqlServer.builder().name("r").serverId(2).innodbLogFileSize("48M").start();
        other = MySqlServer.builder().name("o").serverId(9).innodbLogFileSize("48M").start();
        replica.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port()
                + ", MASTER_USER='root', MASTER_PASSWORD='', MASTER_AUTO_POSITION=1", "START SLAVE");
        primary.createReplicationUser(USER, PASSWORD);
        other.createReplicationUser(USER, PASSWORD);
        other.execute("CREATE DATABASE elsewhere");
        primary.execute("CREATE DATABASE sw", "CREATE TABLE sw.t (id INT PRIMARY KEY, v VARCHAR(100))");
        insert(primary, 1, 10);

        users = TestDirs.newTempDir("admin").resolve("users");
        Files.writeString(users, "# the HA tool's account, as mysql_native_password's hash; a monitoring account\n"
                + ADMIN + ":" + nativeHash(ADMIN_PASSWORD) + ":admin\n" + MONITOR + ":" + MONITOR_PASSWORD + ":monitor\n");
        adminPort = FreePorts.allocate();
        relay = RelayProcess.of(primary, USER, PASSWORD, 6800, kafka.bootstrap(), TOPIC,
                "--admin-port", Integer.toString(adminPort), "--users-file", users.toString()).start();
        relay.awaitLog("relay admin port listening on", WAIT);
        awaitTopicReaches(primary);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {relay, other, replica, primary, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Best effort.
            }
        }
    }

    @Test
    @Order(1)
    void showReplicaStatusSaysWhatTheRelayReadsInBothSpellings() throws Exception {
        SQLException denied = assertThrows(SQLException.class, () -> DriverManager.getConnection(url(), ADMIN, "wrong").close());
        assertEquals(1045, denied.getErrorCode());
        try (Connection c = admin()) {
            Map<String, String> status = awaitStatus(c, "SHOW REPLICA STATUS",
                    s -> "Yes".equals(s.get("Replica_IO_Running"))
                            && MySqlGtidSet.parse(primary.gtidExecuted()).equals(MySqlGtidSet.parse(s.get("Executed_Gtid_Set"))));
            assertEquals("127.0.0.1", status.get("Source_Host"));
            assertEquals(Integer.toString(primary.port()), status.get("Source_Port"));
            assertEquals(USER, status.get("Source_User"));
            assertEquals(primary.serverUuid(), status.get("Source_UUID"));
            assertEquals("1", status.get("Source_Server_Id"));
            assertEquals(primary.currentBinlogFile(), status.get("Source_Log_File"));
            assertEquals(Long.toString(primary.currentBinlogPosition()), status.get("Read_Source_Log_Pos"));
            assertEquals(MySqlGtidSet.parse(primary.gtidExecuted()), MySqlGtidSet.parse(status.get("Retrieved_Gtid_Set")));
            assertEquals("0", status.get("Last_IO_Errno"));
            assertEquals("1", status.get("Auto_Position"));

            Map<String, String> slave = status(c, "SHOW SLAVE STATUS");
            assertEquals("Yes", slave.get("Slave_IO_Running"));
            assertEquals(Integer.toString(primary.port()), slave.get("Master_Port"));
            assertEquals("Waiting for master to send event", slave.get("Slave_IO_State"));
            assertTrue(slave.containsKey("Seconds_Behind_Master") && slave.containsKey("Get_master_public_key"), slave.keySet().toString());
            assertEquals(status.size(), slave.size(), "the same columns in both spellings");

            // The connection-time queries of client libraries work as on the replayer.
            assertEquals("8.0.40-binlog-bridge-relay", query(c, "SELECT @@version"));

            try (Connection monitor = DriverManager.getConnection(url(), MONITOR, MONITOR_PASSWORD)) {
                assertEquals("Yes", status(monitor, "SHOW SLAVE STATUS").get("Slave_IO_Running"), "monitor may look");
                SQLException denied1227 = assertThrows(SQLException.class, () -> execute(monitor, "STOP REPLICA"));
                assertEquals(1227, denied1227.getErrorCode());
                assertEquals("Access denied; you need (at least one of) the SUPER or REPLICATION_SLAVE_ADMIN privilege(s) for this operation",
                        denied1227.getMessage());
            }
            assertEquals("Yes", status(c, "SHOW REPLICA STATUS").get("Replica_IO_Running"), "a refused STOP stops nothing");

            SQLException running = assertThrows(SQLException.class,
                    () -> execute(c, "CHANGE REPLICATION SOURCE TO SOURCE_PORT=" + replica.port()));
            assertEquals(3021, running.getErrorCode());
            assertEquals("This operation cannot be performed with a running replica io thread; run STOP REPLICA IO_THREAD FOR CHANNEL '' first.",
                    running.getMessage());
        }
    }

    @Test
    @Order(2)
    void refusedSourcesFailStartReplicaWriteNothingAndShowInTheStatus() throws Exception {
        // R stops replicating while P writes on: R lacks what the log then holds.
        replica.execute("STOP SLAVE");
        MySqlGtidSet before = MySqlGtidSet.parse(primary.gtidExecuted());
        insert(primary, 11, 14);
        MySqlGtidSet lacking = MySqlGtidSet.parse(primary.gtidExecuted()).subtract(before);
        awaitTopicReaches(primary);
        try (Connection c = admin()) {
            execute(c, "STOP REPLICA");
            assertEquals("No", status(c, "SHOW REPLICA STATUS").get("Replica_IO_Running"));
            long end = endOffset();

            execute(c, "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=" + replica.port() + " FOR CHANNEL ''");
            SQLException lacks = assertThrows(SQLException.class, () -> execute(c, "START REPLICA"));
            assertTrue(lacks.getMessage().contains("lacks " + lacking.count() + " transactions that topic " + TOPIC + " holds (" + lacking + ")"),
                    lacks.getMessage());
            assertTrue(lacks.getMessage().contains("pointing it at the replayer"), lacks.getMessage());
            Map<String, String> status = status(c, "SHOW REPLICA STATUS");
            assertEquals("No", status.get("Replica_IO_Running"));
            assertEquals(Integer.toString(replica.port()), status.get("Source_Port"));
            assertEquals(lacks.getMessage(), status.get("Last_IO_Error"));
            assertEquals(Integer.toString(lacks.getErrorCode()), status.get("Last_IO_Errno"));
            assertTrue(!status.get("Last_IO_Error_Timestamp").isEmpty());
            assertEquals(end, endOffset(), "a refused source writes nothing");

            execute(c, "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + other.port());
            SQLException anotherCluster = assertThrows(SQLException.class, () -> execute(c, "START SLAVE"));
            assertTrue(anotherCluster.getMessage().contains("shares no GTID history with topic " + TOPIC), anotherCluster.getMessage());
            assertEquals(anotherCluster.getMessage(), status(c, "SHOW SLAVE STATUS").get("Last_IO_Error"));
            assertEquals(end, endOffset(), "a refused source writes nothing");

            // Back to P: the relay resumes its term, and the error is cleared.
            execute(c, "CHANGE REPLICATION SOURCE TO SOURCE_PORT=" + primary.port());
            execute(c, "START REPLICA");
            status = awaitStatus(c, "SHOW REPLICA STATUS", s -> "Yes".equals(s.get("Replica_IO_Running")));
            assertEquals("0", status.get("Last_IO_Errno"));
            assertEquals("", status.get("Last_IO_Error"));
        }
        replica.execute("START SLAVE");
        awaitSameGtids(replica, primary);
    }

    @Test
    @Order(3)
    void afterTheFailoverTheRelayFollowsThePromotedReplicaAsTermTwo() throws Exception {
        awaitTopicReaches(primary);
        awaitSameGtids(replica, primary);
        MySqlGtidSet term1 = MySqlGtidSet.parse(primary.gtidExecuted());
        primary.kill();
        replica.execute("STOP SLAVE", "RESET SLAVE ALL");
        long before = endOffset();
        try (Connection c = admin(); TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            // What an HA tool's post-failover hook sends a replica of the old primary.
            execute(c, "STOP SLAVE");
            execute(c, "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replica.port() + ", MASTER_USER='" + USER
                    + "', MASTER_PASSWORD='" + PASSWORD + "', MASTER_AUTO_POSITION=1");
            long switched = System.nanoTime();
            execute(c, "START SLAVE");
            List<TopicContents.Entry> termStart = contents.pollUntil(list -> list.stream()
                    .anyMatch(e -> e.value().getKind() == RecordKind.TERM_START && e.value().getTerm() == 2), WAIT, "term 2 begins");
            long firstRecordMillis = (System.nanoTime() - switched) / 1_000_000;
            System.out.println("admin port switch: START SLAVE to the first record of term 2 in " + firstRecordMillis + " ms");
            assertEquals(before, termStart.stream().filter(e -> e.value().getTerm() == 2).findFirst().orElseThrow().offset(),
                    "term 2 begins where the log ended");

            insert(replica, 15, 20);
            List<TopicContents.Entry> entries = contents.pollUntil(
                    TopicContents.reached(replica.currentBinlogFile(), replica.currentBinlogPosition()), WAIT, "term 2");
            List<String> gtids = LogAssertions.transactionGtids(entries);
            assertEquals(gtids.size(), new HashSet<>(gtids).size(), "every GTID once: " + gtids);
            MySqlGtidSet.Builder logged = MySqlGtidSet.builder();
            gtids.forEach(g -> logged.add(MySqlGtid.parse(g)));
            assertEquals(MySqlGtidSet.parse(replica.gtidExecuted()), logged.build(), "the log holds the promoted replica's whole history");
            List<String> term2 = LogAssertions.transactionGtids(entries.stream().filter(e -> e.value().getTerm() == 2).toList());
            assertEquals(MySqlGtidSet.parse(replica.gtidExecuted()).subtract(term1).count(), term2.size(),
                    "term 2 holds exactly what the log lacked");

            Map<String, String> status = awaitStatus(c, "SHOW SLAVE STATUS",
                    s -> MySqlGtidSet.parse(replica.gtidExecuted()).equals(MySqlGtidSet.parse(s.get("Executed_Gtid_Set"))));
            assertEquals("Yes", status.get("Slave_IO_Running"));
            assertEquals(Integer.toString(replica.port()), status.get("Master_Port"));
            assertEquals(replica.serverUuid(), status.get("Master_UUID"));
            assertEquals(replica.currentBinlogFile(), status.get("Master_Log_File"));
        }
    }

    /**
     * Issue 12 on the admin port: TLS with --admin-require-secure-transport, and caching_sha2_password's RSA exchange
     * with the key pair given by --admin-rsa-*. A relay of its own (server O, its own topic), so the scenarios above keep
     * a plain admin port.
     */
    @Test
    @Order(4)
    void adminPortOverTlsVerifiesItsCertificateAndRefusesPlainClientsWith3159() throws Exception {
        Certificates certs = Certificates.generate(TestDirs.newTempDir("admin-certs"));
        // A caching_sha2_password account as MySQL stores it: only the password itself can be checked against it, so a
        // plain client must send it RSA-encrypted (a full authentication), with the key pair the relay was given.
        other.execute("CREATE USER 'sha2'@'%' IDENTIFIED WITH caching_sha2_password BY 'sha2-Secret1'");
        String sha2 = "0x" + other.queryString("SELECT HEX(authentication_string) FROM mysql.user WHERE user = 'sha2'");
        Path tlsUsers = Files.writeString(users.resolveSibling("tls-users"), Files.readString(users) + "sha2:" + sha2 + ":monitor\n");
        Path privateKey = other.dataDir().resolve("private_key.pem");
        Path publicKey = other.dataDir().resolve("public_key.pem");
        int port = FreePorts.allocate();
        try (RelayProcess tls = RelayProcess.of(other, USER, PASSWORD, 6801, kafka.bootstrap(), TOPIC + "-tls",
                "--admin-port", Integer.toString(port), "--users-file", tlsUsers.toString(),
                "--admin-tls-cert", certs.serverCert.toString(), "--admin-tls-key", certs.serverKey.toString(),
                "--admin-require-secure-transport",
                "--admin-rsa-private-key", privateKey.toString(), "--admin-rsa-public-key", publicKey.toString()).start()) {
            tls.awaitLog("relay admin port listening on", WAIT);
            String base = "jdbc:mysql://127.0.0.1:" + port + "/?connectTimeout=10000&";
            try (Connection c = DriverManager.getConnection(base + verifyCa(certs.trustStore(certs.ca, "admin-ca")), ADMIN, ADMIN_PASSWORD)) {
                Map<String, String> status = status(c, "SHOW REPLICA STATUS");
                assertEquals(Integer.toString(other.port()), status.get("Source_Port"), status.toString());
                assertEquals(USER, status.get("Source_User"));
            }

            SQLException plain = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(base + "sslMode=DISABLED", ADMIN, ADMIN_PASSWORD).close());
            assertEquals(3159, plain.getErrorCode(), plain.toString());
            assertEquals("Connections using insecure transport are prohibited while --require_secure_transport=ON.", plain.getMessage());

            // Without TLS the password goes RSA-encrypted. Encrypted for another key, the relay cannot read it: 1045. With the
            // relay's public key it is accepted (then 3159: the transport is checked after the password, as MySQL does). In that
            // order: once accepted, the password is cached and later logins take the fast path without RSA.
            Path otherKey = anotherPublicKey(users.resolveSibling("another-public-key.pem"));
            SQLException wrongKey = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    base + "sslMode=DISABLED&serverRSAPublicKeyFile=" + otherKey, "sha2", "sha2-Secret1").close());
            assertEquals(1045, wrongKey.getErrorCode(), wrongKey.toString());
            SQLException rsa = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    base + "sslMode=DISABLED&serverRSAPublicKeyFile=" + publicKey, "sha2", "sha2-Secret1").close());
            assertEquals(3159, rsa.getErrorCode(), rsa.toString());
            assertTrue(tls.log().contains("caching_sha2_password RSA key pair loaded from " + privateKey), tls.log());
            assertTrue(tls.log().contains("user 'sha2' passed caching_sha2_password full authentication with the server's RSA public key"),
                    tls.log());

            Path trustOther = certs.trustStore(certs.otherCa, "admin-other-ca");
            SQLException untrusted = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(base + verifyCa(trustOther), ADMIN, ADMIN_PASSWORD).close());
            assertTrue(causedBy(untrusted, javax.net.ssl.SSLHandshakeException.class), "a TLS handshake failure: " + untrusted);
        }
    }

    /** A public key of a pair the relay does not have (the test servers' own pairs come from one datadir template). */
    private static Path anotherPublicKey(Path file) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    }

    private static String verifyCa(Path trustStore) {
        return "sslMode=VERIFY_CA&trustCertificateKeyStoreUrl=" + trustStore.toUri() + "&trustCertificateKeyStoreType=PKCS12"
                + "&trustCertificateKeyStorePassword=changeit";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** mysql_native_password's stored form: '*' and HEX(SHA1(SHA1(password))). */
    private static String nativeHash(String password) throws Exception {
        java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
        byte[] twice = sha1.digest(sha1.digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return "*" + java.util.HexFormat.of().withUpperCase().formatHex(twice);
    }

    private static String url() {
        return "jdbc:mysql://127.0.0.1:" + adminPort + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=10000";
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(url(), ADMIN, ADMIN_PASSWORD);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<String, String> status(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql + " returned no row");
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnLabel(i), rs.getString(i));
            }
            return row;
        }
    }

    private static Map<String, String> awaitStatus(Connection c, String sql, java.util.function.Predicate<Map<String, String>> done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, String> status = status(c, sql);
        while (!done.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sql + " never showed what was awaited: " + status + "\n" + relay.log());
            }
            Thread.sleep(100);
            status = status(c, sql);
        }
        return status;
    }

    private static void awaitTopicReaches(SourceDatabase source) throws Exception {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()), WAIT, "the source's end");
        }
    }

    private static void awaitSameGtids(MySqlServer r, MySqlServer source) throws InterruptedException {
        MySqlGtidSet want = MySqlGtidSet.parse(source.gtidExecuted());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!MySqlGtidSet.parse(r.gtidExecuted()).contains(want)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replica did not catch up to " + want + ": has " + r.gtidExecuted());
            }
            Thread.sleep(100);
        }
    }

    private static long endOffset() throws Exception {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        return kafka.admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }

    private static void insert(SourceDatabase db, int from, int to) {
        for (int i = from; i <= to; i++) {
            db.execute("INSERT INTO sw.t VALUES (" + i + ", 'row " + i + "')");
        }
    }
}
