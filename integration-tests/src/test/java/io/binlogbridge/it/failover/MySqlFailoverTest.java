package io.binlogbridge.it.failover;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, proof 2: a MySQL 8.0 GTID failover through a promoted replica, with binlog-bridge in the topology. The
 * relay reads primary P; replica R1 replicates from P; R2 (GTID auto-position) and R3 (file and position) replicate
 * from the replayer. P dies (kill -9); R1 is promoted; relay-server is restarted on R1 with the same topic and goes on
 * as term 2; writes continue on R1. R2 and R3 continue across the term without any action and end equal to R1, the
 * replayer's files keep increasing names, and the log holds every GTID once.
 */
class MySqlFailoverTest {
    private static final String TOPIC = "failover-mysql";
    private static final String USER = "repl";
    private static final String PASSWORD = "repl-Secret1";
    private static final Duration BOUND = Duration.ofMinutes(2);

    @Test
    void theLogContinuesFromThePromotedReplicaAsTermTwo() throws Exception {
        KafkaBroker kafka = null;
        MySqlServer primary = null;
        MySqlServer r1 = null;
        MySqlServer r2 = null;
        MySqlServer r3 = null;
        RelayProcess relay = null;
        RelayProcess relayOnR1 = null;
        ReplayerProcess replayer = null;
        try {
            kafka = KafkaBroker.launch();
            primary = MySqlServer.builder().gtid(true).serverId(71).name("mysql-failover-p").start();
            r1 = replica(72);
            primary.createReplicationUser(USER, PASSWORD);
            primary.execute("CREATE DATABASE f", "CREATE TABLE f.t (id INT PRIMARY KEY, v VARCHAR(32))",
                    "CREATE TABLE f.u (id INT PRIMARY KEY)");
            r1.execute(fromServer(primary, USER, PASSWORD) + ", GET_MASTER_PUBLIC_KEY=1, MASTER_AUTO_POSITION=1", "START SLAVE");

            relay = RelayProcess.of(primary, USER, PASSWORD, 4101, kafka.bootstrap(), TOPIC).start();
            relay.awaitLog("reading binlog from", Duration.ofSeconds(60));
            replayer = ReplayerProcess.start(kafka.bootstrap(), TOPIC);
            r2 = replica(73);
            r2.execute(toReplayer(replayer) + ", MASTER_AUTO_POSITION=1", "START SLAVE");
            r3 = replica(74);
            r3.execute(toReplayer(replayer) + ", MASTER_AUTO_POSITION=0, MASTER_LOG_FILE='binlog.000001', MASTER_LOG_POS=4",
                    "START SLAVE");

            insert(primary, 1, 100);
            primary.execute("FLUSH BINARY LOGS");
            insert(primary, 101, 200);
            String beforeFailover = gtids(primary);
            awaitGtids(r1, beforeFailover, null);
            awaitGtids(r2, beforeFailover, replayer);
            List<String> filesBefore = binaryLogNames(replayer);

            // The primary dies; the HA tool promotes R1, which has everything the log has.
            relay.stop();
            primary.kill();
            r1.execute("STOP SLAVE", "RESET SLAVE ALL");
            long started = System.nanoTime();
            relayOnR1 = RelayProcess.of(r1, USER, PASSWORD, 4101, kafka.bootstrap(), TOPIC).start();
            insert(r1, 201, 300);
            r1.execute("INSERT INTO f.u SELECT id FROM f.t");
            String expected = gtids(r1);
            try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
                contents.pollUntil(list -> !list.isEmpty() && list.get(list.size() - 1).value().getTerm() == 2, BOUND,
                        "the first record of term 2");
                System.out.printf("failover: relay restarted on the promoted replica: term 2's first record after %d ms%n",
                        (System.nanoTime() - started) / 1_000_000);
            }
            assertTrue(relayOnR1.log().contains("term 2"), relayOnR1.log());

            awaitGtids(r2, expected, replayer);
            Replicas.assertHealthy(r2);
            Replicas.assertSameData(r1, r2, "f");
            MySqlServer fileReplica = r3;
            ReplayerProcess rp = replayer;
            Replicas.await(r3, () -> Long.parseLong(fileReplica.queryString("SELECT COUNT(*) FROM f.u")) == 300, BOUND,
                    "the file/position replica to apply the writes on R1", rp::log);
            Replicas.assertHealthy(r3);
            Replicas.assertSameData(r1, r3, "f");

            // One log: names strictly increase across the term, and every GTID is in it once.
            List<String> files = binaryLogNames(replayer);
            assertTrue(files.size() > filesBefore.size(), "term 2 added files: " + files);
            assertEquals(filesBefore, files.subList(0, filesBefore.size()), "term 1's files keep their names");
            for (int i = 1; i < files.size(); i++) {
                assertTrue(files.get(i).compareTo(files.get(i - 1)) > 0, "names increase: " + files);
            }
            try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
                MySqlGtidSet all = MySqlGtidSet.parse(expected);
                List<String> logged = LogAssertions.transactionGtids(contents.pollUntil(
                        list -> setOf(LogAssertions.transactionGtids(list)).contains(all), BOUND, "the log to hold " + expected));
                assertEquals(logged.size(), new HashSet<>(logged).size(), "no GTID twice in the log");
                assertEquals(all, setOf(logged), "the log holds exactly the promoted primary's gtid_executed");
            }
        } finally {
            Cleanup.closeAll(r3, r2, replayer, relayOnR1, relay, r1, primary, kafka);
        }
    }

    private static MySqlServer replica(int serverId) {
        return MySqlServer.builder().gtid(true).serverId(serverId).name("mysql-failover-r" + (serverId - 71))
                .extraArgs("--relay-log=relay", "--skip-slave-start").start();
    }

    private static String fromServer(SourceDatabase server, String user, String password) {
        return "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + server.port() + ", MASTER_USER=" + sqlString(user)
                + ", MASTER_PASSWORD=" + sqlString(password);
    }

    private static String toReplayer(ReplayerProcess replayer) {
        return "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replayer.port() + ", MASTER_USER="
                + sqlString(ReplayerProcess.USER) + ", MASTER_PASSWORD=" + sqlString(ReplayerProcess.PASSWORD);
    }

    private static void insert(SourceDatabase db, int from, int to) {
        String[] statements = new String[to - from + 1];
        for (int i = from; i <= to; i++) {
            statements[i - from] = "INSERT INTO f.t VALUES (" + i + ", 'row " + i + "')";
        }
        db.execute(statements);
    }

    private static String gtids(SourceDatabase db) {
        return db.queryString("SELECT @@global.gtid_executed").replaceAll("\\s", "");
    }

    private static MySqlGtidSet setOf(List<String> gtids) {
        MySqlGtidSet.Builder set = MySqlGtidSet.builder();
        gtids.forEach(g -> set.add(MySqlGtid.parse(g)));
        return set.build();
    }

    private static void awaitGtids(MySqlServer replica, String expected, ReplayerProcess replayer) throws InterruptedException {
        Replicas.await(replica, () -> gtids(replica).equals(expected), BOUND, "gtid_executed " + expected,
                () -> replayer == null ? "" : replayer.log());
    }

    private static List<String> binaryLogNames(ReplayerProcess replayer) throws Exception {
        String url = "jdbc:mysql://127.0.0.1:" + replayer.port() + "/?useSSL=false&allowPublicKeyRetrieval=true";
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, ReplayerProcess.USER, ReplayerProcess.PASSWORD);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
