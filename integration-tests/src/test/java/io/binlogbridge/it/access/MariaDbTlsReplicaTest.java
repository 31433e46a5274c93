package io.binlogbridge.it.access;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a MariaDB 10.11 replica replicates from a replayer that requires TLS, verifying its certificate
 * ({@code MASTER_SSL_VERIFY_SERVER_CERT=1}), as a user whose secret is a mysql_native_password hash (the only plugin a
 * MariaDB replica speaks), with MASTER_USE_GTID=slave_pos; its data ends equal to the MariaDB source's.
 */
class MariaDbTlsReplicaTest {
    private static final String TOPIC = "access-tls-mariadb";
    private static final String PASSWORD = "Maria-Tls-1";
    private static Certificates certs;
    private static KafkaBroker kafka;
    private static MariaDbServer source;
    private static RelayProcess relay;
    private static ReplayerProcess replayer;

    @BeforeAll
    static void start() {
        certs = Certificates.generate(TestDirs.newTempDir("certs"));
        kafka = KafkaBroker.launch();
        source = MariaDbServer.builder().serverId(81).name("mariadb-src-tls").start();
        source.createReplicationUser("relay", "relay-Secret1");
        source.execute("CREATE DATABASE mtls", "CREATE TABLE mtls.a (id INT PRIMARY KEY, v VARCHAR(64))",
                "CREATE TABLE mtls.b (id INT PRIMARY KEY AUTO_INCREMENT, n BIGINT)");
        for (int i = 0; i < 10; i++) {
            source.execute("INSERT INTO mtls.a VALUES (" + i + ", 'row " + i + "')", "INSERT INTO mtls.b (n) VALUES (" + i + ")");
        }
        relay = RelayProcess.of(source, "relay", "relay-Secret1", 4081, kafka.bootstrap(), TOPIC).start();
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()),
                    Duration.ofMinutes(2), "relay to reach the source's end");
        }
        replayer = ReplayerProcess.startWithUsers(UserAdd.line("maria", PASSWORD, "--auth-plugin", "mysql_native_password") + "\n",
                kafka.bootstrap(), TOPIC, "--tls-cert", certs.serverCert.toString(), "--tls-key", certs.serverKey.toString(),
                "--require-secure-transport");
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(replayer, relay, source, kafka);
    }

    @Test
    void mariadbReplicaReplicatesThroughVerifiedTls() throws Exception {
        try (MariaDbServer replica = MariaDbServer.builder().serverId(82).name("mariadb-replica-tls")
                .extraArgs("--relay-log=relay", "--skip-slave-start").start()) {
            replica.execute("SET GLOBAL gtid_slave_pos = ''",
                    "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replayer.port() + ", MASTER_USER='maria', MASTER_PASSWORD="
                            + sqlString(PASSWORD) + ", MASTER_USE_GTID=slave_pos, MASTER_SSL=1, MASTER_SSL_CA="
                            + sqlString(certs.ca.toString()) + ", MASTER_SSL_VERIFY_SERVER_CERT=1",
                    "START SLAVE");
            source.execute("INSERT INTO mtls.b (n) VALUES (1000)", "UPDATE mtls.a SET v = 'after TLS start' WHERE id < 5");
            String expected = source.queryString("SELECT @@global.gtid_binlog_pos");
            Replicas.await(replica, () -> expected.equals(replica.queryString("SELECT @@global.gtid_slave_pos")),
                    Duration.ofSeconds(120), "replica gtid_slave_pos to reach " + expected, replayer::log);
            Replicas.assertHealthy(replica);
            Map<String, String> status = Replicas.slaveStatus(replica);
            assertEquals("Yes", status.get("Master_SSL_Allowed"), Replicas.describe(status));
            assertEquals("Yes", status.get("Master_SSL_Verify_Server_Cert"));
            assertEquals("Slave_Pos", status.get("Using_Gtid"));
            Replicas.assertSameData(source, replica, "mtls");
        }
    }
}
