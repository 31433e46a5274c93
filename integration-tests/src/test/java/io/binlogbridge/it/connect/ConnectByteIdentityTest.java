package io.binlogbridge.it.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.access.Certificates;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.it.support.Workloads;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof 1 of the connector, on a real distributed Connect worker with exactly-once source support:
 * deployed through the REST API, under DDL, multi-statement transactions, a 64 MiB row, a 200 MB
 * transaction and rotations, the topic's events rebuild the source's binlog files byte for byte.
 * Also: validate() refuses bad configs with relay-server's messages; issue 12's source.ssl.* against a source
 * that requires TLS.
 */
class ConnectByteIdentityTest {
    private static KafkaBroker kafka;
    private static ConnectWorker worker;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.launch();
        worker = new ConnectWorker(kafka.bootstrap(), "bb-connect-identity").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void mysqlWithGtids() throws Exception {
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).innodbLogFileSize("512M").start()) {
            mysql.createReplicationUser("repl", "repl-Secret1");
            validation(mysql);
            deployAndCompare(mysql, "connect-mysql-gtid");
        }
    }

    @Test
    void mariaDb() throws Exception {
        try (MariaDbServer mariadb = MariaDbServer.builder().innodbLogFileSize("512M").start()) {
            mariadb.createReplicationUser("repl", "repl-Secret1");
            deployAndCompare(mariadb, "connect-mariadb");
        }
    }

    /**
     * Issue 12: a MySQL source with require_secure_transport=ON, relayed with source.ssl.mode=VERIFY_CA and the CA the
     * source generated. A CA that did not sign the source's certificate is refused by validation on source.ssl.ca, and
     * fails the task (not retried) when the worker's CA file changes under a running connector.
     */
    @Test
    void mysqlRequiringSecureTransportThroughVerifiedTls() throws Exception {
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).name("mysql-connect-require-tls").start()) {
            mysql.createReplicationUser("repl", "repl-Secret1");
            mysql.execute("CREATE DATABASE tls", "CREATE TABLE tls.t (id INT PRIMARY KEY, v VARCHAR(32))",
                    "INSERT INTO tls.t VALUES (1, 'a'), (2, 'b')", "FLUSH PRIVILEGES");
            String endFile = mysql.currentBinlogFile();
            long endPosition = mysql.currentBinlogPosition();
            // From here the fixture's plain connections are refused too: nothing below talks to the source but the connector.
            mysql.execute("SET GLOBAL require_secure_transport = ON");
            Path ca = Files.copy(mysql.dataDir().resolve("ca.pem"), TestDirs.newTempDir("connect-tls").resolve("source-ca.pem"));
            Path otherCa = Certificates.generate(ca.resolveSibling("certs")).otherCa;
            String topic = "connect-require-tls";
            Map<String, String> config = new java.util.LinkedHashMap<>(ConnectorConfigs.of(mysql, "repl", "repl-Secret1", 4345,
                    kafka.bootstrap(), topic));
            config.put("source.ssl.mode", "VERIFY_CA");

            config.put("source.ssl.ca", otherCa.toString());
            String refused = validate(config);
            String caValue = refused.substring(refused.indexOf("\"value\":{\"name\":\"source.ssl.ca\""));
            caValue = caValue.substring(0, caValue.indexOf("\"visible\""));
            assertEquals(1, errorCount(refused), refused);
            assertTrue(caValue.contains("cannot verify the TLS certificate of source 127.0.0.1:" + mysql.port() + " (ssl mode VERIFY_CA, CA "
                    + otherCa + "): PKIX path"), refused);

            config.put("source.ssl.ca", ca.toString());
            worker.deploy(topic, config);
            worker.awaitTaskRunning(topic, Duration.ofSeconds(60));
            try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                contents.pollUntil(TopicContents.reached(endFile, endPosition), Duration.ofSeconds(60),
                        "the connector to relay the source through TLS\n" + worker.logTail(60));
            }

            // The worker's CA file replaced by one that did not sign the source's certificate: the restarted task fails,
            // saying why, instead of retrying for ever.
            Files.copy(otherCa, ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            HttpResponse<String> restart = worker.post("/connectors/" + topic + "/tasks/0/restart");
            assertTrue(restart.statusCode() / 100 == 2, restart.statusCode() + " " + restart.body());
            String failed = worker.awaitTaskFailed(topic, Duration.ofSeconds(60));
            assertTrue(failed.contains("cannot verify the TLS certificate of source 127.0.0.1:" + mysql.port() + " (ssl mode VERIFY_CA, CA "
                    + ca + "): PKIX path"), failed);
        }
    }

    private void deployAndCompare(SourceDatabase source, String topic) throws Exception {
        long t0 = System.nanoTime();
        worker.deploy(topic, ConnectorConfigs.of(source, "repl", "repl-Secret1", 4343, kafka.bootstrap(), topic));
        worker.awaitTaskRunning(topic, Duration.ofSeconds(60));
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
            Workloads.mixedWithHugeRows(source);
            List<TopicContents.Entry> entries = LogAssertions.assertTopicEqualsSource(source, contents, Duration.ofMinutes(4),
                    () -> worker.logTail(200));
            long total = TopicContents.rebuildFiles(entries).values().stream().mapToLong(b -> b.length).sum();
            assertTrue(total > 260L << 20, "workload wrote " + total + " bytes of binlog");
            worker.awaitTaskRunning(topic, Duration.ofSeconds(5));
            assertTaskMetricsCountTheTopic(topic, entries);
            System.err.printf("[%s] %d records, %d bytes of binlog, byte-identical, %d s%n", topic, entries.size(), total,
                    (System.nanoTime() - t0) / 1_000_000_000L);
        }
    }

    /**
     * The task's plugin metrics, read over JMX as a Connect user's monitoring would, count exactly what the topic holds:
     * its MySQL transactions and its binlog event bytes; and say the task streams, caught up.
     */
    private void assertTaskMetricsCountTheTopic(String connector, List<TopicContents.Entry> entries) throws Exception {
        long transactions = LogAssertions.transactionGtids(entries).size();
        long eventBytes = entries.stream().mapToLong(e -> e.value().getEvents().remaining()).sum();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Map<String, Double>> metrics = worker.jmxMetrics(connector, "relayed-bytes-total");
        while (metrics.size() != 1 || metrics.values().iterator().next().get("relayed-bytes-total") < eventBytes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task metrics over JMX never reached " + eventBytes + " bytes: " + metrics);
            }
            Thread.sleep(200);
            metrics = worker.jmxMetrics(connector, "relayed-bytes-total");
        }
        Map<String, Double> task = metrics.values().iterator().next();
        System.err.println("[" + connector + "] task metrics over JMX: " + metrics);
        assertEquals(eventBytes, task.get("relayed-bytes-total").longValue(), "bytes: " + metrics);
        assertEquals(transactions, task.get("relayed-transactions-total").longValue(), "transactions: " + metrics);
        assertEquals(1.0, task.get("source-streaming"));
        double behind = task.get("seconds-behind-source");
        assertTrue(behind >= 0 && behind < 30, "seconds behind the source once caught up: " + behind);
    }

    /** validate() (PUT /connector-plugins/.../config/validate) names what is wrong, before anything runs. */
    private void validation(MySqlServer mysql) throws Exception {
        String bootstrap = kafka.bootstrap();
        Map<String, String> good = ConnectorConfigs.of(mysql, "repl", "repl-Secret1", 4343, bootstrap, "connect-validate");
        assertEquals(0, errorCount(validate(good)), "a good config validates: " + validate(good));

        Map<String, String> badPassword = new java.util.LinkedHashMap<>(good);
        badPassword.put("source.password", "wrong");
        String r = validate(badPassword);
        assertTrue(errorCount(r) > 0 && r.contains("Access denied"), r);

        Map<String, String> unreachable = new java.util.LinkedHashMap<>(good);
        unreachable.put("source.port", Integer.toString(io.binlogbridge.it.fixtures.FreePorts.allocate()));
        r = validate(unreachable);
        assertTrue(errorCount(r) > 0 && r.contains("source.host"), r);

        mysql.execute("CREATE USER 'nogrants'@'%' IDENTIFIED BY 'nogrants-Secret1'");
        Map<String, String> noGrants = new java.util.LinkedHashMap<>(good);
        noGrants.put("source.user", "nogrants");
        noGrants.put("source.password", "nogrants-Secret1");
        r = validate(noGrants);
        assertTrue(errorCount(r) > 0 && r.contains("REPLICATION"), r);

        mysql.execute("SET GLOBAL binlog_format = 'STATEMENT'");
        try {
            r = validate(good);
            assertTrue(errorCount(r) > 0 && r.contains("binlog_format=STATEMENT"), r);
        } finally {
            mysql.execute("SET GLOBAL binlog_format = 'ROW'");
        }

        kafka.createTopic("connect-three-partitions", 3, Map.of());
        Map<String, String> threePartitions = new java.util.LinkedHashMap<>(good);
        threePartitions.put("topic", "connect-three-partitions");
        r = validate(threePartitions);
        assertTrue(errorCount(r) > 0 && r.contains("has 3 partitions"), r);

        Map<String, String> pollBoundary = new java.util.LinkedHashMap<>(good);
        pollBoundary.put("transaction.boundary", "poll");
        r = validate(pollBoundary);
        assertTrue(errorCount(r) > 0 && r.contains("transaction.boundary must be 'connector'"), r);
    }

    private static String validate(Map<String, String> config) throws Exception {
        Map<String, String> named = new java.util.LinkedHashMap<>(config);
        named.put("name", "connect-validate");
        HttpResponse<String> r = worker.put("/connector-plugins/BinlogSourceConnector/config/validate", ConnectWorker.json(named));
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static int errorCount(String validateResponse) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"error_count\"\\s*:\\s*(\\d+)").matcher(validateResponse);
        assertTrue(m.find(), validateResponse);
        return Integer.parseInt(m.group(1));
    }
}
