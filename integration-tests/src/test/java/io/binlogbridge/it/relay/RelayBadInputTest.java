package io.binlogbridge.it.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.FreePorts;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof 5 of the relay: bad input ends the relay with one clear line on stderr and a non-zero exit
 * code, and nothing is written to the topic.
 */
class RelayBadInputTest {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static KafkaBroker kafka;
    private static MySqlServer mysql;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.launch();
        mysql = MySqlServer.builder().gtid(true).start();
        mysql.createReplicationUser("repl", "repl-Secret1");
        mysql.execute("CREATE DATABASE bb", "CREATE TABLE bb.t (id INT PRIMARY KEY)", "INSERT INTO bb.t VALUES (1)",
                "INSERT INTO bb.t VALUES (2)", "FLUSH BINARY LOGS");
        // The source keeps only its current file: binlog.000001, holding GTIDs 1-3, is purged.
        mysql.execute("PURGE BINARY LOGS TO '" + mysql.currentBinlogFile() + "'");
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(mysql, kafka);
    }

    @Test
    void wrongSourcePassword() throws Exception {
        RelayProcess relay = relay("bad-password", "not-the-password", mysql.port(), kafka.bootstrap());
        assertFails(relay, 1, "Access denied for user 'repl'");
        assertNoTopic("bad-password");
    }

    @Test
    void unreachableSource() throws Exception {
        int port = FreePorts.allocate();
        RelayProcess relay = relay("no-source", "repl-Secret1", port, kafka.bootstrap());
        assertFails(relay, 1, "cannot connect to source 127.0.0.1:" + port);
        assertNoTopic("no-source");
    }

    @Test
    void unreachableBroker() throws Exception {
        int port = FreePorts.allocate();
        RelayProcess relay = relay("no-broker", "repl-Secret1", mysql.port(), "127.0.0.1:" + port, "--startup-timeout", "5s");
        long t0 = System.nanoTime();
        assertFails(relay, 1, "cannot reach Kafka at 127.0.0.1:" + port + " within 5 s");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "gave up after about the startup timeout");
        assertNothingWritten("no-broker");
    }

    @Test
    void purgedStartFile() throws Exception {
        RelayProcess relay = relay("purged-file", "repl-Secret1", mysql.port(), kafka.bootstrap(), "--start", "file:binlog.000001:4");
        assertFails(relay, 1, "has no binlog file binlog.000001");
        assertNothingWritten("purged-file");
    }

    @Test
    void purgedStartGtids() throws Exception {
        String uuid = mysql.serverUuid();
        RelayProcess relay = relay("purged-gtid", "repl-Secret1", mysql.port(), kafka.bootstrap(), "--start", "gtid:" + uuid + ":1-1");
        assertFails(relay, 1, "purged");
        assertNothingWritten("purged-gtid");
    }

    @Test
    void malformedStart() throws Exception {
        for (String start : List.of("file:nope", "bogus", "gtid:", "gtid:not-a-uuid:1-2")) {
            RelayProcess relay = relay("bad-start", "repl-Secret1", mysql.port(), kafka.bootstrap(), "--start", start);
            assertFails(relay, 2, "--start");
        }
        assertNothingWritten("bad-start");
    }

    @Test
    void helpListsEveryOption() throws Exception {
        RelayProcess relay = RelayProcess.withArgs("--help").start();
        assertEquals(0, relay.awaitExit(EXIT_TIMEOUT), relay.log());
        String help = relay.log();
        for (String option : List.of("--source-host", "--source-port", "--source-user", "--source-password-file", "--server-id",
                "--topic", "--kafka-bootstrap", "--kafka-properties", "--data-dir", "--embedded-kafka-port", "--start",
                "--semi-sync", "--heartbeat-period", "--chunk-size", "--max-commit-delay", "--max-commit-bytes", "--queue-size",
                "--transactional-id", "--allow-unsafe-topic", "--startup-timeout", "--transaction-timeout", "--config", "--help")) {
            assertTrue(help.contains(option), "--help lists " + option + ":\n" + help);
        }
    }

    private static RelayProcess relay(String topic, String password, int sourcePort, String bootstrap, String... extra)
            throws Exception {
        Path passwordFile = TestDirs.newTempDir("relay-password").resolve("password");
        Files.writeString(passwordFile, password + "\n");
        List<String> args = new ArrayList<>(List.of("--source-host", "127.0.0.1", "--source-port", Integer.toString(sourcePort),
                "--source-user", "repl", "--source-password-file", passwordFile.toString(), "--server-id", "4400",
                "--topic", topic, "--kafka-bootstrap", bootstrap));
        args.addAll(List.of(extra));
        if (!args.contains("--startup-timeout")) {
            args.addAll(List.of("--startup-timeout", "20s"));
        }
        return RelayProcess.withArgs(args.toArray(String[]::new)).start();
    }

    /** Exit code as expected, exactly one error line, the expected text in it, and no stack trace. */
    private static void assertFails(RelayProcess relay, int expectedExit, String expectedText) throws Exception {
        int exit = relay.awaitExit(EXIT_TIMEOUT);
        String log = relay.log();
        assertEquals(expectedExit, exit, "exit code; output:\n" + log);
        List<String> errors = log.lines().filter(l -> l.startsWith("relay-server: ")).toList();
        assertEquals(1, errors.size(), "one error line; output:\n" + log);
        assertTrue(errors.get(0).contains(expectedText), "'" + expectedText + "' in: " + errors.get(0));
        assertEquals(errors.get(0).indexOf(expectedText), errors.get(0).lastIndexOf(expectedText), "said once: " + errors.get(0));
        assertFalse(log.contains("\tat "), "no stack trace for an operator's mistake; output:\n" + log);
        System.err.println("[bad input] exit " + exit + ": " + errors.get(0));
    }

    /** The source is checked before Kafka: a source mistake does not even create the topic. */
    private static void assertNoTopic(String topic) throws Exception {
        assertFalse(kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS).contains(topic), topic + " was created");
    }

    /** The topic does not exist, or holds no record. */
    private static void assertNothingWritten(String topic) throws Exception {
        if (!kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
            return;
        }
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
            assertEquals(List.of(), contents.readToEnd(Duration.ofSeconds(30)), "records in " + topic);
        }
    }
}
