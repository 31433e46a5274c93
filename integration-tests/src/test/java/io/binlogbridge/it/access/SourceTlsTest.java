package io.binlogbridge.it.access;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, relay → source TLS: a MySQL 8.0 source with {@code require_secure_transport=ON} and a caching_sha2_password
 * replication user whose password the source has not cached (so only full authentication, inside TLS, lets it in).
 * The relay with {@code --source-ssl-mode VERIFY_CA} relays the source's log; without TLS it is refused with 3159 and
 * stops saying what to set; with VERIFY_IDENTITY, the source's auto-generated certificate (not naming 127.0.0.1) is
 * refused, and the relay stops saying why.
 */
class SourceTlsTest {
    private static final String USER = "relay";
    private static final String PASSWORD = "relay-Tls-1";
    private static KafkaBroker kafka;
    private static MySqlServer source;
    private static Path sourceCa;

    @BeforeAll
    static void start() throws SQLException {
        kafka = KafkaBroker.launch();
        source = MySqlServer.builder().gtid(true).serverId(101).name("mysql-src-require-tls").start();
        source.createReplicationUser(USER, PASSWORD);
        source.execute("CREATE DATABASE st", "CREATE TABLE st.t (id INT PRIMARY KEY, v VARCHAR(32))", "INSERT INTO st.t VALUES (1, 'a')",
                "SET GLOBAL require_secure_transport = ON");
        // The CA MySQL generated at start-up (auto_generate_certs), as a DBA would hand it to the relay.
        sourceCa = source.dataDir().resolve("ca.pem");
        execute("FLUSH PRIVILEGES"); // empties caching_sha2_password's cache: the relay's login needs full authentication
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(source, kafka);
    }

    /** The fixture's connections are plain, which the source now refuses: statements go through TLS here. */
    private static String execute(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + source.port()
                + "/?sslMode=REQUIRED&allowPublicKeyRetrieval=true", "root", "");
             Statement s = c.createStatement()) {
            String last = null;
            for (String q : sql) {
                if (s.execute(q)) {
                    try (ResultSet rs = s.getResultSet()) {
                        last = rs.next() ? rs.getString(1) + ":" + rs.getString(2) : null;
                    }
                }
            }
            return last;
        }
    }

    @Test
    void verifyCaRelaysTheSourceThroughTls() throws Exception {
        String topic = "access-source-tls";
        try (RelayProcess relay = RelayProcess.of(source, USER, PASSWORD, 4101, kafka.bootstrap(), topic,
                "--source-ssl-mode", "VERIFY_CA", "--source-ssl-ca", sourceCa.toString()).start()) {
            execute("INSERT INTO st.t VALUES (2, 'written while the relay runs')");
            String[] end = execute("SHOW MASTER STATUS").split(":");
            try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                contents.pollUntil(TopicContents.reached(end[0], Long.parseLong(end[1])), Duration.ofMinutes(2),
                        "relay to reach " + end[0] + ":" + end[1] + "\n" + relay.log());
            }
            assertTrue(relay.isAlive(), relay.log());
        }
    }

    @Test
    void plainRelayIsRefusedWith3159AndStops() throws Exception {
        try (RelayProcess relay = RelayProcess.of(source, USER, PASSWORD, 4102, kafka.bootstrap(), "access-source-plain").start()) {
            int exit = relay.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, exit, relay.log());
            assertTrue(relay.log().contains("refused login: ERROR 3159 (HY000): Connections using insecure transport are prohibited while"
                    + " --require_secure_transport=ON. (the source requires TLS: set --source-ssl-mode)"), relay.log());
        }
    }

    @Test
    void verifyIdentityRefusesACertificateNotNamingTheHost() throws Exception {
        try (RelayProcess relay = RelayProcess.of(source, USER, PASSWORD, 4103, kafka.bootstrap(), "access-source-identity",
                "--source-ssl-mode", "VERIFY_IDENTITY", "--source-ssl-ca", sourceCa.toString()).start()) {
            // Not retried: reconnecting does not change the certificate.
            int exit = relay.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, exit, relay.log());
            assertTrue(relay.log().contains("cannot verify the TLS certificate of source 127.0.0.1:" + source.port()
                    + " (ssl mode VERIFY_IDENTITY, CA " + sourceCa + "): No subject alternative names"), relay.log());
        }
    }
}
