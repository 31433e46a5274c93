package io.binlogbridge.it.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.fixtures.FreePorts;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where a relay with an empty topic starts (latest, file:NAME:POS, gtid:SET), the embedded Kafka
 * default, statement and mixed binlogs, and topics the relay must refuse.
 */
class RelayStartModesTest {
    private static KafkaBroker kafka;
    private static MySqlServer mysql;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.launch();
        mysql = MySqlServer.builder().gtid(true).start();
        mysql.createReplicationUser("repl", "repl-Secret1");
        mysql.execute("CREATE DATABASE sm", "CREATE TABLE sm.t (id INT PRIMARY KEY, v VARCHAR(100))");
        insert(mysql, 1, 10);
    }

    @AfterAll
    static void stop() {
        if (mysql != null) {
            mysql.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void insert(SourceDatabase db, int from, int to) {
        for (int i = from; i <= to; i++) {
            db.execute("INSERT INTO sm.t VALUES (" + i + ", 'row " + i + "')");
        }
    }

    private static List<String> gtidsAfterStartingWith(String topic, String bootstrap, String... startArgs) throws Exception {
        try (RelayProcess relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 6100 + topic.length(), bootstrap, topic, startArgs).start();
                TopicContents contents = new TopicContents(bootstrap, topic)) {
            relay.awaitLog("reading binlog", Duration.ofSeconds(60));
            int base = 1000 * topic.length();
            insert(mysql, base, base + 4);
            List<TopicContents.Entry> entries = contents.pollUntil(
                    TopicContents.reached(mysql.currentBinlogFile(), mysql.currentBinlogPosition()), Duration.ofMinutes(1), topic);
            BinlogRecord first = entries.get(0).value();
            assertEquals(RecordKind.FILE_HEADER, first.getKind(), "the log starts with a file header");
            assertEquals(4, first.getStartPosition());
            relay.stop();
            return LogAssertions.transactionGtids(entries);
        }
    }

    @Test
    void latestStartsWithTheCurrentFilesHeaderAndOnlyNewTransactions() throws Exception {
        MySqlGtidSet before = MySqlGtidSet.parse(mysql.gtidExecuted());
        List<String> gtids = gtidsAfterStartingWith("latest", kafka.bootstrap(), "--start", "latest");
        assertEquals(5, gtids.size(), gtids.toString());
        for (String g : gtids) {
            assertTrue(!before.contains(io.binlogbridge.core.gtid.MySqlGtid.parse(g)), g + " was committed before the relay started");
        }
    }

    @Test
    void filePositionStartsAtThatTransaction() throws Exception {
        mysql.execute("FLUSH BINARY LOGS");
        String file = mysql.currentBinlogFile();
        insert(mysql, 100, 102);
        long position = mysql.currentBinlogPosition();
        insert(mysql, 103, 104);
        MySqlGtidSet before = MySqlGtidSet.parse(mysql.gtidExecuted());
        List<String> gtids = gtidsAfterStartingWith("filepos", kafka.bootstrap(), "--start", "file:" + file + ":" + position);
        // 103, 104 (after the position), then the 5 inserted once the relay runs.
        assertEquals(7, gtids.size(), gtids.toString());
        assertTrue(before.contains(io.binlogbridge.core.gtid.MySqlGtid.parse(gtids.get(0))));
    }

    @Test
    void gtidStartSendsOnlyLaterTransactions() throws Exception {
        MySqlGtidSet executed = MySqlGtidSet.parse(mysql.gtidExecuted());
        String uuid = mysql.serverUuid();
        long last = Long.parseLong(executed.toString().replaceAll(".*-", ""));
        List<String> gtids = gtidsAfterStartingWith("gtidstart", kafka.bootstrap(), "--start", "gtid:" + uuid + ":1-" + (last - 2));
        assertEquals(uuid + ":" + (last - 1), gtids.get(0));
        assertEquals(uuid + ":" + last, gtids.get(1));
        assertEquals(7, gtids.size(), gtids.toString());
    }

    @Test
    void withoutKafkaBootstrapTheRelayRunsItsOwnBroker() throws Exception {
        Path dataDir = TestDirs.newTempDir("embedded");
        int port = FreePorts.allocate();
        Path password = dataDir.resolve("password");
        Files.writeString(password, "repl-Secret1");
        try (RelayProcess relay = RelayProcess.withArgs("--source-host", "127.0.0.1", "--source-port", Integer.toString(mysql.port()),
                "--source-user", "repl", "--source-password-file", password.toString(), "--server-id", "6200", "--topic", "embedded",
                "--data-dir", dataDir.toString(), "--embedded-kafka-port", Integer.toString(port)).start()) {
            relay.awaitLog("reading binlog", Duration.ofSeconds(90));
            try (TopicContents contents = new TopicContents("127.0.0.1:" + port, "embedded")) {
                LogAssertions.assertTopicEqualsSource(mysql, contents, Duration.ofMinutes(1), relay::log);
            }
            relay.stop();
            assertTrue(Files.exists(dataDir.resolve("kafka")), "the broker's log is under --data-dir");
        }
    }

    @Test
    void statementAndMixedBinlogsAreRelayedAsTheyAre() throws Exception {
        try (MySqlServer statement = MySqlServer.builder().gtid(false).binlogFormat("STATEMENT").start();
                MariaDbServer mixed = MariaDbServer.builder().binlogFormat("MIXED").start()) {
            for (SourceDatabase db : List.of(statement, mixed)) {
                db.createReplicationUser("repl", "repl-Secret1");
                db.execute("CREATE DATABASE sm", "CREATE TABLE sm.t (id INT PRIMARY KEY, v VARCHAR(100))",
                        "CREATE TABLE sm.m (id INT PRIMARY KEY) ENGINE=MyISAM");
                insert(db, 1, 20);
                db.execute("UPDATE sm.t SET v = CONCAT(v, '!') WHERE id < 10", "INSERT INTO sm.m SELECT id FROM sm.t",
                        "DELETE FROM sm.t WHERE id > 15", "FLUSH BINARY LOGS", "INSERT INTO sm.t VALUES (99, UUID())");
                String topic = db.isMariaDb() ? "mixed" : "statement";
                try (RelayProcess relay = RelayProcess.of(db, "repl", "repl-Secret1", 6300, kafka.bootstrap(), topic).start();
                        TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                    LogAssertions.assertTopicEqualsSource(db, contents, Duration.ofMinutes(1), relay::log);
                    relay.stop();
                }
            }
        }
    }

    @Test
    void topicsThatWouldReorderOrLoseTheLogAreRefused() throws Exception {
        kafka.createTopic("two-partitions", 2, Map.of());
        RelayProcess a = RelayProcess.of(mysql, "repl", "repl-Secret1", 6400, kafka.bootstrap(), "two-partitions").start();
        assertEquals(1, a.awaitExit(Duration.ofSeconds(60)), a.log());
        assertTrue(a.log().contains("has 2 partitions; a binlog topic must have exactly 1"), a.log());

        kafka.createTopic("retention", 1, Map.of("retention.ms", "86400000"));
        RelayProcess b = RelayProcess.of(mysql, "repl", "repl-Secret1", 6401, kafka.bootstrap(), "retention").start();
        assertEquals(1, b.awaitExit(Duration.ofSeconds(60)), b.log());
        assertTrue(b.log().contains("deletes data by age or size") && b.log().contains("--allow-unsafe-topic"), b.log());

        try (RelayProcess c = RelayProcess.of(mysql, "repl", "repl-Secret1", 6402, kafka.bootstrap(), "retention", "--allow-unsafe-topic").start()) {
            c.awaitLog("reading binlog", Duration.ofSeconds(60));
            assertTrue(c.isAlive());
            c.stop();
        }
    }
}
