package io.binlogbridge.it.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.schemas.RecordKind;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, proof 3 (the connector half): after a MySQL failover, a configuration update through the Connect REST API
 * re-points the connector at the promoted replica, and its restarted task continues the log as term 2 — every GTID
 * once, nothing lost.
 */
class ConnectSourceSwitchTest {
    private static final String TOPIC = "connect-switch";
    private static final Duration BOUND = Duration.ofMinutes(2);

    @Test
    void aConfigUpdateMovesTheConnectorToThePromotedReplicaAsTermTwo() throws Exception {
        KafkaBroker kafka = null;
        MySqlServer primary = null;
        MySqlServer r1 = null;
        ConnectWorker worker = null;
        try {
            kafka = KafkaBroker.launch();
            primary = MySqlServer.builder().gtid(true).serverId(81).name("mysql-connect-switch-p").start();
            r1 = MySqlServer.builder().gtid(true).serverId(82).name("mysql-connect-switch-r1")
                    .extraArgs("--relay-log=relay", "--skip-slave-start").start();
            primary.createReplicationUser("repl", "repl-Secret1");
            primary.execute("CREATE DATABASE c", "CREATE TABLE c.t (id INT PRIMARY KEY)");
            r1.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port()
                    + ", MASTER_USER='repl', MASTER_PASSWORD='repl-Secret1', GET_MASTER_PUBLIC_KEY=1, MASTER_AUTO_POSITION=1",
                    "START SLAVE");

            worker = new ConnectWorker(kafka.bootstrap(), "bb-connect-switch");
            worker.start();
            Map<String, String> config = ConnectorConfigs.of(primary, "repl", "repl-Secret1", 4747, kafka.bootstrap(), TOPIC);
            worker.deploy(TOPIC, config);
            worker.awaitTaskRunning(TOPIC, Duration.ofSeconds(60));
            insert(primary, 1, 50);
            String beforeFailover = gtids(primary);
            MySqlServer replica = r1;
            Replicas.await(r1, () -> gtids(replica).equals(beforeFailover), BOUND, "R1 to reach " + beforeFailover, () -> "");
            awaitLogged(kafka, MySqlGtidSet.parse(beforeFailover));

            // The primary dies; R1 is promoted; the operator updates the connector's source.
            primary.kill();
            r1.execute("STOP SLAVE", "RESET SLAVE ALL");
            config.put("source.host", r1.host());
            config.put("source.port", Integer.toString(r1.port()));
            worker.deploy(TOPIC, config);
            insert(r1, 51, 100);
            worker.awaitLog("term 2 starts after GTID set", 1, BOUND);
            worker.awaitTaskRunning(TOPIC, Duration.ofSeconds(60));

            MySqlGtidSet expected = MySqlGtidSet.parse(gtids(r1));
            List<TopicContents.Entry> entries = awaitLogged(kafka, expected);
            List<String> logged = LogAssertions.transactionGtids(entries);
            assertEquals(logged.size(), new HashSet<>(logged).size(), "no GTID twice in the log");
            assertEquals(expected, setOf(logged), "the log holds exactly the promoted replica's gtid_executed");
            assertTrue(entries.stream().anyMatch(e -> e.value().getTerm() == 2 && e.value().getKind() == RecordKind.TERM_START),
                    "term 2 begins with its TERM_START");
        } finally {
            Cleanup.closeAll(worker, r1, primary, kafka);
        }
    }

    private static List<TopicContents.Entry> awaitLogged(KafkaBroker kafka, MySqlGtidSet gtids) throws Exception {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            return contents.pollUntil(list -> setOf(LogAssertions.transactionGtids(list)).contains(gtids), BOUND,
                    "the log to hold " + gtids);
        }
    }

    private static void insert(MySqlServer db, int from, int to) {
        String[] statements = new String[to - from + 1];
        for (int i = from; i <= to; i++) {
            statements[i - from] = "INSERT INTO c.t VALUES (" + i + ")";
        }
        db.execute(statements);
    }

    private static String gtids(MySqlServer db) {
        return db.queryString("SELECT @@global.gtid_executed").replaceAll("\\s", "");
    }

    private static MySqlGtidSet setOf(List<String> gtids) {
        MySqlGtidSet.Builder set = MySqlGtidSet.builder();
        gtids.forEach(g -> set.add(MySqlGtid.parse(g)));
        return set.build();
    }
}
