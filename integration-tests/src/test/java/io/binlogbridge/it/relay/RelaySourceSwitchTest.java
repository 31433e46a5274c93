package io.binlogbridge.it.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.schemas.BinlogRecord;
import io.binlogbridge.schemas.RecordKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A relay restarted against another server of the log's cluster continues the log as a new term; against a
 * server that lacks logged transactions, of another cluster, or without GTIDs (and no --start), it refuses and
 * writes nothing. Topology: a GTID primary P with replicas R1 and R2; the relay writes term 1 from P.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelaySourceSwitchTest {
    private static final String USER = "repl";
    private static final String PASSWORD = "repl-Secret1";
    private static final String TOPIC = "switch";
    private static final Duration WAIT = Duration.ofMinutes(1);

    private static KafkaBroker kafka;
    private static MySqlServer primary;
    private static MySqlServer r1;
    private static MySqlServer r2;
    /** GTIDs R2 lacks: written while it was not replicating, and in the log. */
    private static MySqlGtidSet r2Lacks;
    private static MySqlGtidSet term1;
    private static String primaryUuid;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.launch();
        primary = MySqlServer.builder().name("p").serverId(1).innodbLogFileSize("48M").start();
        r1 = MySqlServer.builder().name("r1").serverId(2).innodbLogFileSize("48M").start();
        r2 = MySqlServer.builder().name("r2").serverId(3).innodbLogFileSize("48M").start();
        primaryUuid = primary.serverUuid();
        for (MySqlServer r : List.of(r1, r2)) {
            replicateFrom(r, primary);
        }
        // Created on P and replicated, so the relay's user exists on every server of the cluster.
        primary.createReplicationUser(USER, PASSWORD);
        primary.execute("CREATE DATABASE sw", "CREATE TABLE sw.t (id INT PRIMARY KEY, v VARCHAR(100))");
        insert(primary, 1, 10);
        awaitSameGtids(r1, primary);
        awaitSameGtids(r2, primary);

        try (RelayProcess relay = relay(primary).start(); TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            relay.awaitLog("reading binlog", WAIT);
            r2.execute("STOP SLAVE");
            MySqlGtidSet before = MySqlGtidSet.parse(primary.gtidExecuted());
            insert(primary, 11, 20);
            r2Lacks = MySqlGtidSet.parse(primary.gtidExecuted()).subtract(before);
            contents.pollUntil(TopicContents.reached(primary.currentBinlogFile(), primary.currentBinlogPosition()), WAIT, "term 1");
            relay.stop();
            term1 = gtidSet(LogAssertions.transactionGtids(contents.readToEnd(WAIT)));
        }
        assertEquals(MySqlGtidSet.parse(primary.gtidExecuted()), term1, "term 1 holds all of P's transactions");
        // Written after the relay stopped: R1 receives them, the log does not have them.
        insert(primary, 21, 25);
        awaitSameGtids(r1, primary);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {r2, r1, primary, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Best effort.
            }
        }
    }

    private static void replicateFrom(MySqlServer replica, MySqlServer source) {
        replica.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + source.port()
                + ", MASTER_USER='root', MASTER_PASSWORD='', MASTER_AUTO_POSITION=1", "START SLAVE");
    }

    private static void awaitSameGtids(MySqlServer replica, MySqlServer source) throws InterruptedException {
        MySqlGtidSet want = MySqlGtidSet.parse(source.gtidExecuted());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!MySqlGtidSet.parse(replica.gtidExecuted()).contains(want)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replica on port " + replica.port() + " did not catch up to " + want + ": has " + replica.gtidExecuted());
            }
            Thread.sleep(100);
        }
    }

    private static void insert(SourceDatabase db, int from, int to) {
        for (int i = from; i <= to; i++) {
            db.execute("INSERT INTO sw.t VALUES (" + i + ", 'row " + i + "')");
        }
    }

    private static RelayProcess relay(SourceDatabase source, String... extra) {
        return RelayProcess.of(source, USER, PASSWORD, 6700, kafka.bootstrap(), TOPIC, extra);
    }

    private static long endOffset(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return kafka.admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }

    private static MySqlGtidSet gtidSet(List<String> gtids) {
        MySqlGtidSet.Builder b = MySqlGtidSet.builder();
        gtids.forEach(g -> b.add(MySqlGtid.parse(g)));
        return b.build();
    }

    /** Starts a relay that must refuse: exit status 1, one line saying why, the topic untouched. */
    private static String refused(RelayProcess relay, String topic) throws Exception {
        long before = endOffset(topic);
        relay.start();
        assertEquals(1, relay.awaitExit(Duration.ofSeconds(90)), relay.log());
        assertEquals(before, endOffset(topic), "a refused switch writes nothing: " + relay.log());
        String line = relay.log().lines().filter(l -> l.startsWith("relay-server: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no error line: " + relay.log()));
        assertTrue(line.contains("refusing to switch sources"), line);
        return line;
    }

    @Test
    @Order(1)
    void aCandidateLackingLoggedTransactionsIsRefusedAndToldHowToBeFed() throws Exception {
        String line = refused(relay(r2), TOPIC);
        assertTrue(line.contains("lacks " + r2Lacks.count() + " transactions that topic " + TOPIC + " holds (" + r2Lacks + ")"), line);
        assertTrue(line.contains("pointing it at the replayer") && line.contains("SOURCE_AUTO_POSITION=1"), line);
    }

    @Test
    @Order(2)
    void aServerOfAnotherClusterIsRefused() throws Exception {
        try (MySqlServer other = MySqlServer.builder().name("other").serverId(9).innodbLogFileSize("48M").start()) {
            other.createReplicationUser(USER, PASSWORD);
            other.execute("CREATE DATABASE elsewhere");
            String line = refused(relay(other), TOPIC);
            assertTrue(line.contains("shares no GTID history with topic " + TOPIC) && line.contains("another cluster"), line);
        }
    }

    @Test
    @Order(3)
    void aCandidateWithoutGtidsNeedsAnExplicitStart() throws Exception {
        try (MySqlServer noGtids = MySqlServer.builder().name("nogtid").serverId(8).gtid(false).innodbLogFileSize("48M").start()) {
            noGtids.createReplicationUser(USER, PASSWORD);
            String line = refused(relay(noGtids), TOPIC);
            assertTrue(line.contains("has gtid_mode OFF") && line.contains("--start file:NAME:POS"), line);

            // A log written without GTIDs: a switch is the operator's call, made with --start file:NAME:POS.
            String topic = "switch-nogtid";
            noGtids.execute("CREATE DATABASE sw", "CREATE TABLE sw.t (id INT PRIMARY KEY, v VARCHAR(100))");
            insert(noGtids, 1, 5);
            try (RelayProcess relay = RelayProcess.of(noGtids, USER, PASSWORD, 6720, kafka.bootstrap(), topic).start();
                    TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                contents.pollUntil(TopicContents.reached(noGtids.currentBinlogFile(), noGtids.currentBinlogPosition()), WAIT, "term 1");
                relay.stop();
            }
            try (MySqlServer next = MySqlServer.builder().name("nogtid2").serverId(7).gtid(false).innodbLogFileSize("48M").start()) {
                next.createReplicationUser(USER, PASSWORD);
                next.execute("CREATE DATABASE sw", "CREATE TABLE sw.t (id INT PRIMARY KEY, v VARCHAR(100))");
                insert(next, 1, 5);
                line = refused(RelayProcess.of(next, USER, PASSWORD, 6720, kafka.bootstrap(), topic), topic);
                assertTrue(line.contains("topic " + topic + " holds no GTIDs") && line.contains("--start file:NAME:POS"), line);

                String file = next.currentBinlogFile();
                long position = next.currentBinlogPosition();
                long before = endOffset(topic);
                insert(next, 6, 8);
                try (RelayProcess relay = RelayProcess.of(next, USER, PASSWORD, 6720, kafka.bootstrap(), topic,
                        "--start", "file:" + file + ":" + position).start();
                        TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                    List<TopicContents.Entry> entries = contents.pollUntil(
                            TopicContents.reached(next.currentBinlogFile(), next.currentBinlogPosition()), WAIT, "term 2");
                    assertTrue(relay.log().contains("term 2 starts at file:" + file + ":" + position + ", the position the operator chose with --start"),
                            relay.log());
                    List<TopicContents.Entry> term2 = entries.stream().filter(e -> e.value().getTerm() == 2).toList();
                    assertEquals(before, term2.get(0).offset());
                    assertEquals(RecordKind.FILE_HEADER, term2.get(0).value().getKind());
                    assertEquals(4, term2.get(0).value().getStartPosition());
                    assertEquals(RecordKind.TERM_START, term2.get(1).value().getKind());
                    assertEquals(position, term2.get(1).value().getStartPosition());
                    assertEquals(position, term2.get(2).value().getStartPosition(), "the term starts at the chosen position");
                    long transactions = term2.stream().filter(e -> e.value().getKind() == RecordKind.TRANSACTION).count();
                    assertEquals(3, transactions, "only the three inserts after the position");
                    relay.stop();
                }
            }
        }
    }

    @Test
    @Order(4)
    void aPromotedReplicaContinuesTheLogAsTermTwo() throws Exception {
        MySqlGtidSet r1Before = MySqlGtidSet.parse(r1.gtidExecuted());
        primary.kill();
        r1.execute("STOP SLAVE", "RESET SLAVE ALL");
        long before = endOffset(TOPIC);
        try (RelayProcess relay = relay(r1).start(); TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            relay.awaitLog("reading binlog", WAIT);
            insert(r1, 26, 30);
            List<TopicContents.Entry> entries = contents.pollUntil(
                    TopicContents.reached(r1.currentBinlogFile(), r1.currentBinlogPosition()), WAIT, "term 2");
            assertTrue(relay.log().contains("topic " + TOPIC + ": source changed from the log's source (server_uuid " + primaryUuid + ", server_id 1) to source 127.0.0.1:"
                    + r1.port() + " (server_uuid " + r1.serverUuid() + ", server_id 2): term 2 starts after GTID set " + term1), relay.log());

            int first = -1;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).value().getTerm() == 2) {
                    first = i;
                    break;
                }
            }
            assertTrue(first > 0, "term 2 records follow term 1's");
            assertEquals(before, entries.get(first).offset(), "term 2 begins where the log ended");
            BinlogRecord header = entries.get(first).value();
            BinlogRecord termStart = entries.get(first + 1).value();
            assertEquals(RecordKind.FILE_HEADER, header.getKind());
            assertEquals(r1.serverUuid(), header.getServerUuid());
            assertEquals(RecordKind.TERM_START, termStart.getKind());
            assertEquals(2, termStart.getTerm());
            assertEquals(header.getEndPosition(), termStart.getStartPosition(), "the term starts at the header's end");
            assertEquals(term1, MySqlGtidSet.parse(termStart.getPreviousGtids()), "TERM_START states the log's GTID state at the switch");

            int term = 1;
            for (TopicContents.Entry e : entries) {
                assertTrue(e.value().getTerm() >= term, "terms never decrease: " + TopicContents.describe(e));
                term = e.value().getTerm();
            }
            List<String> gtids = LogAssertions.transactionGtids(entries);
            assertEquals(gtids.size(), new HashSet<>(gtids).size(), "every GTID once: " + gtids);
            assertEquals(MySqlGtidSet.parse(r1.gtidExecuted()), gtidSet(gtids), "the log holds R1's whole history");
            Map<UUID, Long> lastGno = new HashMap<>();
            for (String g : gtids) {
                MySqlGtid gtid = MySqlGtid.parse(g);
                Long previous = lastGno.put(gtid.uuid(), gtid.gno());
                assertTrue(previous == null || previous < gtid.gno(), "GTIDs of one server in order: " + gtids);
            }
            // Term 2 holds exactly what the log lacked: P's writes after the relay stopped, then R1's own.
            List<String> term2 = LogAssertions.transactionGtids(entries.subList(first, entries.size()));
            MySqlGtidSet expected = MySqlGtidSet.parse(r1.gtidExecuted()).subtract(term1);
            assertEquals(expected, gtidSet(term2));
            assertEquals(r1Before.subtract(term1).count() + 5, term2.size());
            relay.stop();
        }

        // Restarted against the same server: it resumes the term, no new one.
        long end = endOffset(TOPIC);
        try (RelayProcess relay = relay(r1).start(); TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            relay.awaitLog("reading binlog", WAIT);
            assertTrue(relay.log().contains("resuming after the last committed record"), relay.log());
            assertFalse(relay.log().contains("source changed"), relay.log());
            insert(r1, 31, 33);
            List<TopicContents.Entry> entries = contents.pollUntil(
                    TopicContents.reached(r1.currentBinlogFile(), r1.currentBinlogPosition()), WAIT, "more of term 2");
            assertNotEquals(end, endOffset(TOPIC));
            List<String> gtids = LogAssertions.transactionGtids(entries);
            assertEquals(gtids.size(), new HashSet<>(gtids).size(), "every GTID once: " + gtids);
            assertEquals(MySqlGtidSet.parse(r1.gtidExecuted()), gtidSet(gtids));
            Set<Integer> terms = new HashSet<>();
            entries.forEach(e -> terms.add(e.value().getTerm()));
            assertEquals(Set.of(1, 2), terms);
            relay.stop();
        }
    }

    @Test
    @Order(5)
    void mariaDbPromotedReplicaContinuesTheLogAndALaggingOneIsRefused() throws Exception {
        String topic = "switch-mariadb";
        try (MariaDbServer p = MariaDbServer.builder().name("mp").serverId(11).start();
                MariaDbServer r = MariaDbServer.builder().name("mr").serverId(12).extraArgs("--log-slave-updates=ON").start()) {
            p.createReplicationUser(USER, PASSWORD);
            p.execute("CREATE DATABASE sw", "CREATE TABLE sw.t (id INT PRIMARY KEY, v VARCHAR(100))");
            r.execute("SET GLOBAL gtid_slave_pos = ''", "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + p.port()
                    + ", MASTER_USER='" + USER + "', MASTER_PASSWORD='" + PASSWORD + "', MASTER_USE_GTID=slave_pos", "START SLAVE");
            insert(p, 1, 10);
            awaitMariaDb(r, p);
            String logState;
            try (RelayProcess relay = RelayProcess.of(p, USER, PASSWORD, 6710, kafka.bootstrap(), topic).start();
                    TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                relay.awaitLog("reading binlog", WAIT);
                r.execute("STOP SLAVE");
                insert(p, 11, 15);
                contents.pollUntil(TopicContents.reached(p.currentBinlogFile(), p.currentBinlogPosition()), WAIT, "term 1");
                relay.stop();
                logState = p.gtidExecuted();
            }
            // R lacks 11..15, which the log holds.
            String line = refused(RelayProcess.of(r, USER, PASSWORD, 6710, kafka.bootstrap(), topic), topic);
            assertTrue(line.contains("lacks 5 transactions that topic " + topic + " holds") && line.contains("MASTER_USE_GTID=slave_pos"), line);

            r.execute("START SLAVE");
            insert(p, 16, 18);
            awaitMariaDb(r, p);
            p.kill();
            r.execute("STOP SLAVE", "RESET SLAVE ALL");
            try (RelayProcess relay = RelayProcess.of(r, USER, PASSWORD, 6710, kafka.bootstrap(), topic).start();
                    TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                relay.awaitLog("reading binlog", WAIT);
                insert(r, 19, 20);
                List<TopicContents.Entry> entries = contents.pollUntil(
                        TopicContents.reached(r.currentBinlogFile(), r.currentBinlogPosition()), WAIT, "term 2");
                assertTrue(relay.log().contains("term 2 starts after GTID position " + logState), relay.log());
                int first = 0;
                while (entries.get(first).value().getTerm() != 2) {
                    first++;
                }
                assertEquals(RecordKind.FILE_HEADER, entries.get(first).value().getKind());
                BinlogRecord termStart = entries.get(first + 1).value();
                assertEquals(RecordKind.TERM_START, termStart.getKind());
                assertEquals(logState, termStart.getPreviousGtids());
                List<String> gtids = LogAssertions.transactionGtids(entries);
                assertEquals(gtids.size(), new HashSet<>(gtids).size(), "every GTID once: " + gtids);
                // Term 1: the first 1 + 1 + 1 + 15 of domain 0; term 2: P's 16..18 relayed by R, then R's 19, 20.
                List<String> term2 = LogAssertions.transactionGtids(entries.subList(first, entries.size()));
                assertEquals(5, term2.size(), term2.toString());
                long previousSeq = 0;
                for (String g : gtids) {
                    long seq = Long.parseLong(g.substring(g.lastIndexOf('-') + 1));
                    assertEquals(previousSeq + 1, seq, "domain 0 in order, no gap, no repeat: " + gtids);
                    previousSeq = seq;
                }
                assertEquals(r.gtidExecuted(), gtids.get(gtids.size() - 1));
                relay.stop();
            }
        }
    }

    @Test
    @Order(6)
    void aRelayRestartedInTheNewTermsFirstFileDoesNotWriteTheSkippedTransactions() throws Exception {
        String topic = "switch-resume";
        try (MySqlServer p = MySqlServer.builder().name("p2").serverId(21).innodbLogFileSize("48M").start();
                MySqlServer r = MySqlServer.builder().name("r3").serverId(22).innodbLogFileSize("48M").start()) {
            replicateFrom(r, p);
            p.createReplicationUser(USER, PASSWORD);
            p.execute("CREATE DATABASE sw", "CREATE TABLE sw.t (id INT PRIMARY KEY, v VARCHAR(100))");
            awaitSameGtids(r, p);
            // R writes one of its own before it receives P's next: in R's binlog, what the log lacks (R's) comes
            // before what the log holds (P's), and the new term's GTID dump skips the latter in mid-file.
            r.execute("STOP SLAVE", "CREATE DATABASE r_own");
            try (RelayProcess relay = RelayProcess.of(p, USER, PASSWORD, 6730, kafka.bootstrap(), topic).start();
                    TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                insert(p, 1, 3);
                contents.pollUntil(TopicContents.reached(p.currentBinlogFile(), p.currentBinlogPosition()), WAIT, "term 1");
                relay.stop();
            }
            r.execute("START SLAVE");
            awaitSameGtids(r, p);
            r.execute("STOP SLAVE", "RESET SLAVE ALL");
            String rUuid = r.serverUuid();
            try (RelayProcess relay = RelayProcess.of(r, USER, PASSWORD, 6730, kafka.bootstrap(), topic).start();
                    TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                contents.pollUntil(list -> LogAssertions.transactionGtids(list).contains(rUuid + ":1"), WAIT, "R's own transaction in term 2");
                relay.stop();
            }
            // The log ends with R's transaction; P's three follow it in R's file, and the log holds them already.
            try (RelayProcess relay = RelayProcess.of(r, USER, PASSWORD, 6730, kafka.bootstrap(), topic).start();
                    TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
                relay.awaitLog("reading binlog", WAIT);
                insert(r, 4, 5);
                List<TopicContents.Entry> entries = contents.pollUntil(
                        TopicContents.reached(r.currentBinlogFile(), r.currentBinlogPosition()), WAIT, "more of term 2");
                List<String> gtids = LogAssertions.transactionGtids(entries);
                assertEquals(gtids.size(), new HashSet<>(gtids).size(), "every GTID once: " + gtids);
                assertEquals(MySqlGtidSet.parse(r.gtidExecuted()), gtidSet(gtids));
                relay.stop();
            }
        }
    }

    private static void awaitMariaDb(MariaDbServer replica, MariaDbServer source) throws InterruptedException {
        String want = source.gtidExecuted();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!replica.queryString("SELECT @@global.gtid_slave_pos").equals(want)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("MariaDB replica did not reach " + want + ": " + replica.queryString("SELECT @@global.gtid_slave_pos"));
            }
            Thread.sleep(100);
        }
    }
}
