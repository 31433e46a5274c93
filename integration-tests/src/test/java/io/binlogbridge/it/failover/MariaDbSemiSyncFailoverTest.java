package io.binlogbridge.it.failover;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.SemiSync;
import io.binlogbridge.it.support.TopicContents;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, proof 1: RPO=0 with MariaDB semi-sync. Primary P runs semi-sync (AFTER_SYNC, a long timeout) with the
 * relay as its semi-sync replica, so a commit returns only once Kafka holds it. A writer commits one row per
 * transaction on P and records every commit that returned OK. An async replica R1 of P is stopped mid-load, so it
 * lacks acknowledged commits when P is killed with -9; R2 follows the replayer throughout. The relay restarted on R1
 * refuses it, naming what R1 lacks, and writes nothing; R1 is fed from the replayer, promoted, and the relay follows
 * it as term 2 while the writer continues on R1. Every acknowledged commit is on R1, R2 ends equal to R1, and the log
 * holds every GTID once, in order.
 */
class MariaDbSemiSyncFailoverTest {
    private static final String TOPIC = "failover-mariadb-semisync";
    private static final String USER = "repl";
    private static final String PASSWORD = "repl-Secret1";
    private static final int P_ID = 81;
    private static final int R1_ID = 82;
    private static final int R2_ID = 83;
    private static final int RELAY_ID = 4181;
    /** Acknowledged commits before R1 stops replicating, and after it (before P dies): what R1 will lack. */
    private static final int BEFORE_R1_STOPS = 100;
    private static final int AFTER_R1_STOPS = 150;
    /** Rows the writer commits on R1 once it is the primary; their ids start here. */
    private static final int R1_ROWS = 100;
    private static final int R1_FIRST_ID = 1_000_001;
    private static final Duration BOUND = Duration.ofMinutes(3);

    @Test
    void everyAcknowledgedCommitSurvivesThePrimarysLossAndTheLogContinuesFromThePromotedReplica() throws Exception {
        KafkaBroker kafka = null;
        MariaDbServer primary = null;
        MariaDbServer r1 = null;
        MariaDbServer r2 = null;
        RelayProcess relay = null;
        RelayProcess refused = null;
        RelayProcess relayOnR1 = null;
        ReplayerProcess replayer = null;
        Writer onPrimary = null;
        try {
            kafka = KafkaBroker.launch();
            primary = MariaDbServer.builder().serverId(P_ID).name("mariadb-rpo-p").semiSync(true)
                    .extraArgs("--rpl-semi-sync-master-timeout=600000", "--rpl-semi-sync-master-wait-point=AFTER_SYNC").start();
            // R1 writes what it applies to its own binlog: that binlog is what the relay reads once R1 is the primary.
            r1 = MariaDbServer.builder().serverId(R1_ID).name("mariadb-rpo-r1")
                    .extraArgs("--log-slave-updates=ON", "--relay-log=relay", "--skip-slave-start").start();
            // Semi-sync waits for an acknowledgement even with no replica connected: off while the schema is made.
            primary.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
            primary.createReplicationUser(USER, PASSWORD);
            primary.execute("CREATE DATABASE f", "CREATE TABLE f.t (id INT PRIMARY KEY, v VARCHAR(32)) ENGINE=InnoDB",
                    "CREATE TABLE f.u (id INT PRIMARY KEY) ENGINE=InnoDB");
            // From P's first transaction: R1 gets the relay's user too.
            r1.execute("SET GLOBAL gtid_slave_pos = ''", changeMaster(primary.port(), USER, PASSWORD), "START SLAVE");
            awaitSlavePos(r1, primary.gtidExecuted(), () -> "");
            primary.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON");

            relay = RelayProcess.of(primary, USER, PASSWORD, RELAY_ID, kafka.bootstrap(), TOPIC, "--semi-sync").start();
            relay.awaitLog("semi-synchronous: the source waits", Duration.ofSeconds(60));
            SemiSync.awaitOn(primary, relay);
            replayer = ReplayerProcess.start(kafka.bootstrap(), TOPIC);
            r2 = MariaDbServer.builder().serverId(R2_ID).name("mariadb-rpo-r2")
                    .extraArgs("--relay-log=relay", "--skip-slave-start").start();
            r2.execute("SET GLOBAL gtid_slave_pos = ''",
                    changeMaster(replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD), "START SLAVE");

            // The writer runs on P; R1 stops replicating mid-load and falls behind; then P dies with -9.
            onPrimary = Writer.start(primary, 1, Integer.MAX_VALUE);
            awaitCount(onPrimary, BEFORE_R1_STOPS, relay);
            r1.execute("STOP SLAVE");
            String r1Had = r1.gtidExecuted();
            awaitCount(onPrimary, onPrimary.acknowledged.size() + AFTER_R1_STOPS, relay);
            assertEquals("ON", SemiSync.status(primary, "Rpl_semi_sync_master_status"), "P is semi-synchronous");
            assertEquals("0", SemiSync.status(primary, "Rpl_semi_sync_master_no_tx"),
                    "no commit on P returned without the relay's acknowledgement");
            primary.kill();
            onPrimary.join(Duration.ofSeconds(60));
            assertNotNull(onPrimary.failure.get(), "the writer's connection to P broke");
            List<Integer> acknowledgedByP = List.copyOf(onPrimary.acknowledged);
            Set<Integer> r1Lacked = new TreeSet<>(acknowledgedByP);
            r1Lacked.removeAll(ids(r1));
            assertFalse(r1Lacked.isEmpty(), "R1 lacks acknowledged commits when P dies");
            // The relay outlives P (it runs elsewhere); it is stopped for the switch, as an operator would.
            relay.stop();

            // The log's GTID position: its last transaction, domain 0, written by P.
            String logPosition;
            try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
                List<String> gtids = LogAssertions.transactionGtids(contents.readToEnd(BOUND));
                logPosition = gtids.get(gtids.size() - 1);
            }
            long logSeq = seq(logPosition);
            long r1Seq = seq(r1Had);
            assertEquals(P_ID, serverId(logPosition), logPosition);
            assertEquals(P_ID, serverId(r1Had), r1Had);
            assertTrue(logSeq > r1Seq, "the log holds more than R1: " + logPosition + " vs " + r1Had);

            // The relay refuses R1: it lacks transactions the log holds.
            long lacks = logSeq - r1Seq;
            long endBefore = endOffset(kafka);
            refused = RelayProcess.of(r1, USER, PASSWORD, RELAY_ID, kafka.bootstrap(), TOPIC).start();
            assertEquals(1, refused.awaitExit(Duration.ofSeconds(90)), refused.log());
            assertEquals(endBefore, endOffset(kafka), "a refused switch writes nothing: " + refused.log());
            List<String> lines = refused.log().lines().filter(l -> l.startsWith("relay-server: ")).toList();
            assertEquals(1, lines.size(), "one line says why: " + refused.log());
            String line = lines.get(0);
            assertTrue(line.contains("refusing to switch sources"), line);
            assertTrue(line.contains("lacks " + lacks + " transactions that topic " + TOPIC + " holds (0-" + P_ID + "-" + (r1Seq + 1)
                    + "..0-" + P_ID + "-" + logSeq + ")"), line);
            assertTrue(line.contains("pointing it at the replayer") && line.contains("MASTER_USE_GTID=slave_pos"), line);

            // Fed from the replayer until its binlog holds the log's position, then promoted.
            ReplayerProcess rp = replayer;
            r1.execute(changeMaster(replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD), "START SLAVE");
            MariaDbServer fed = r1;
            Replicas.await(r1, () -> logPosition.equals(fed.gtidExecuted()), BOUND, "R1's gtid_binlog_pos to reach " + logPosition,
                    rp::log);
            r1.execute("STOP SLAVE", "RESET SLAVE ALL");
            Set<Integer> missing = new TreeSet<>(acknowledgedByP);
            missing.removeAll(ids(r1));
            assertEquals(Set.of(), missing, "every commit P acknowledged is on R1 before it takes writes");
            // Rows P committed and the log holds, whose OK never reached the writer (P died first): at most one.
            Set<Integer> unacknowledged = ids(r1);
            unacknowledged.removeAll(acknowledgedByP);
            assertTrue(unacknowledged.size() <= 1, "one writer, one commit in flight: " + unacknowledged);

            // The relay follows R1 as term 2; the writer continues on R1.
            long started = System.nanoTime();
            relayOnR1 = RelayProcess.of(r1, USER, PASSWORD, RELAY_ID, kafka.bootstrap(), TOPIC).start();
            long firstTermTwoMs;
            try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
                contents.pollUntil(list -> !list.isEmpty() && list.get(list.size() - 1).value().getTerm() == 2, BOUND,
                        "the first record of term 2");
                firstTermTwoMs = (System.nanoTime() - started) / 1_000_000;
            }
            relayOnR1.awaitLog("term 2 starts after GTID position " + logPosition, Duration.ofSeconds(60));
            Writer onR1 = Writer.start(r1, R1_FIRST_ID, R1_FIRST_ID + R1_ROWS - 1);
            onR1.join(BOUND);
            assertNull(onR1.failure.get(), "every commit on R1 returned OK");
            assertEquals(R1_ROWS, onR1.acknowledged.size());
            r1.execute("INSERT INTO f.u SELECT id FROM f.t");
            String expected = r1.gtidExecuted();
            assertEquals(R1_ID, serverId(expected), expected);
            assertEquals(logSeq + R1_ROWS + 1, seq(expected), "R1's own transactions continue domain 0 after the log's");

            System.out.printf("rpo: P acknowledged %d commits; R1 lacked %d of them when P died (the log held %d transactions"
                    + " R1 lacked, %d of them committed on P but never acknowledged); term 2's first record %d ms after the"
                    + " relay restarted on R1%n", acknowledgedByP.size(), r1Lacked.size(), lacks, unacknowledged.size(), firstTermTwoMs);

            // Every acknowledged commit is on R1; R2, which followed the replayer throughout, ends equal to R1.
            missing = new TreeSet<>(acknowledgedByP);
            missing.addAll(onR1.acknowledged);
            missing.removeAll(ids(r1));
            assertEquals(Set.of(), missing, "every acknowledged commit is on the promoted primary");
            MariaDbServer follower = r2;
            Replicas.await(r2, () -> expected.equals(follower.queryString("SELECT @@global.gtid_slave_pos")), BOUND,
                    "R2's gtid_slave_pos to reach " + expected, rp::log);
            Replicas.assertHealthy(r2);
            Replicas.assertSameData(r1, r2, "f");

            // The log holds every GTID once, in order: domain 0 without gap or repeat, terms never decreasing.
            try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
                List<TopicContents.Entry> entries = contents.pollUntil(list -> {
                    List<String> g = LogAssertions.transactionGtids(list);
                    return !g.isEmpty() && g.get(g.size() - 1).equals(expected);
                }, BOUND, "the log to reach " + expected);
                List<String> gtids = LogAssertions.transactionGtids(entries);
                assertEquals(gtids.size(), new HashSet<>(gtids).size(), "no GTID twice in the log");
                long previous = 0;
                for (String g : gtids) {
                    assertTrue(g.startsWith("0-"), "domain 0: " + g);
                    assertEquals(previous + 1, seq(g), "domain 0 in order, no gap, no repeat: " + gtids);
                    previous = seq(g);
                }
                int term = 1;
                Set<Integer> terms = new TreeSet<>();
                for (TopicContents.Entry e : entries) {
                    assertTrue(e.value().getTerm() >= term, "terms never decrease: " + TopicContents.describe(e));
                    term = e.value().getTerm();
                    terms.add(term);
                }
                List<String> termTwo = LogAssertions.transactionGtids(entries.stream().filter(e -> e.value().getTerm() == 2).toList());
                assertEquals(Set.of(1, 2), terms);
                assertEquals("0-" + R1_ID + "-" + (logSeq + 1), termTwo.get(0), "term 2 begins right after the log's last transaction");
                assertEquals(R1_ROWS + 1, termTwo.size(), "term 2 holds R1's own transactions only: " + termTwo);
            }
            assertTrue(relayOnR1.isAlive(), relayOnR1.log());
        } finally {
            if (onPrimary != null) {
                onPrimary.thread.interrupt();
            }
            Cleanup.closeAll(r2, replayer, relayOnR1, refused, relay, r1, primary, kafka);
        }
    }

    private static String changeMaster(int port, String user, String password) {
        return "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + port + ", MASTER_USER=" + sqlString(user)
                + ", MASTER_PASSWORD=" + sqlString(password) + ", MASTER_USE_GTID=slave_pos";
    }

    private static void awaitSlavePos(MariaDbServer replica, String position, java.util.function.Supplier<String> context)
            throws InterruptedException {
        Replicas.await(replica, () -> position.equals(replica.queryString("SELECT @@global.gtid_slave_pos")), BOUND,
                "gtid_slave_pos " + position, context);
    }

    /** {@code domain-server-seq} → seq. */
    private static long seq(String gtid) {
        return Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
    }

    private static long serverId(String gtid) {
        String[] p = gtid.split("-");
        return Long.parseLong(p[1]);
    }

    private static Set<Integer> ids(MariaDbServer db) {
        Set<Integer> ids = new HashSet<>();
        for (List<String> row : db.queryRows("SELECT id FROM f.t")) {
            ids.add(Integer.valueOf(row.get(0)));
        }
        return ids;
    }

    private static long endOffset(KafkaBroker kafka) throws Exception {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        return kafka.admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }

    private static void awaitCount(Writer writer, int count, RelayProcess relay) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (writer.acknowledged.size() < count) {
            if (System.nanoTime() > deadline || !relay.isAlive() || !writer.thread.isAlive()) {
                throw new AssertionError(writer.acknowledged.size() + " commits acknowledged, waiting for " + count
                        + " (writer failure: " + writer.failure.get() + ")\n" + relay.log());
            }
            Thread.sleep(20);
        }
    }

    /** Commits one row per transaction (autocommit) and records the id of every commit that returned OK. */
    private static final class Writer {
        final List<Integer> acknowledged = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread;

        static Writer start(MariaDbServer db, int first, int last) {
            Writer w = new Writer();
            w.thread = new Thread(() -> {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    for (int id = first; id <= last && !Thread.currentThread().isInterrupted(); id++) {
                        s.execute("INSERT INTO f.t VALUES (" + id + ", 'row " + id + "')");
                        w.acknowledged.add(id);
                    }
                } catch (SQLException | RuntimeException e) {
                    w.failure.set(e);
                }
            }, "writer-" + db.port());
            w.thread.start();
            return w;
        }

        void join(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                throw new AssertionError("the writer did not finish within " + timeout + " (" + acknowledged.size() + " acknowledged)");
            }
        }
    }
}
