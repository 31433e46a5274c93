package io.binlogbridge.it.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.SourceLoad;
import io.binlogbridge.it.support.TopicContents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof 2 of the connector: {@code kill -9} of the Connect worker (distributed, exactly-once) at
 * random points under a continuous write load with rotations, restarting it each time: the topic
 * rebuilds the source's binlog files byte for byte and holds every transaction once, in order.
 */
class ConnectKillTest {
    private static final String TOPIC = "connect-kill";
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaBroker.launch();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void killWorkerUnderLoad() throws Exception {
        int kills = 4;
        Random random = new Random(8001L);
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).start();
                ConnectWorker worker = new ConnectWorker(kafka.bootstrap(), "bb-connect-kill")) {
            mysql.createReplicationUser("repl", "repl-Secret1");
            worker.start();
            long t0 = System.nanoTime();
            Map<String, String> config = ConnectorConfigs.of(mysql, "repl", "repl-Secret1", 4444, kafka.bootstrap(), TOPIC);
            // A killed worker leaves its task's transaction open (topic and offsets topic); the restarted worker
            // reads the offsets topic read_committed before it can start the task, so that wait lasts until the
            // coordinator times the orphan out. The load's transactions are small: 15 s is plenty to write one.
            config.put("producer.override.transaction.timeout.ms", "15000");
            worker.deploy(TOPIC, config);
            try (SourceLoad load = SourceLoad.start(mysql, Duration.ofMillis(1500), false);
                    TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
                for (int i = 0; i < kills; i++) {
                    if (i > 0) {
                        worker.start();
                    }
                    // The worker reads its config topic and starts the task again on its own. (The REST status
                    // would still say RUNNING from the killed worker: watch this run's log instead.)
                    worker.awaitLog("Instantiated task " + TOPIC + "-0", 1, Duration.ofSeconds(120));
                    if (i % 2 == 0) {
                        // Kill while streaming under load; the other kills hit the task anywhere in its start-up
                        // (fencing, creating the topic, reading the tail, connecting).
                        worker.awaitLog("reading binlog from", 1, Duration.ofSeconds(120));
                    }
                    Thread.sleep(500 + random.nextInt(3000));
                    assertTrue(worker.isAlive(), "worker " + i + " died on its own:\n" + worker.log());
                    worker.kill9();
                    System.err.printf("[%s] kill %d, topic now %d records%n", TOPIC, i + 1, contents.poll(Duration.ofSeconds(1)).size());
                }
                worker.start();
                worker.awaitLog("reading binlog from", 1, Duration.ofSeconds(120));
                Thread.sleep(2000);
                load.stopAndCheck();
                assertTrue(load.rotations() >= 3, "rotations during the load: " + load.rotations());
                List<TopicContents.Entry> entries = LogAssertions.assertTopicEqualsSource(mysql, contents, Duration.ofSeconds(90),
                        () -> worker.logTail(200));
                String uuid = mysql.serverUuid();
                String executed = mysql.gtidExecuted().replaceAll("\\s", "");
                assertTrue(executed.matches(uuid + ":1-\\d+"), "one contiguous GTID range: " + executed);
                long n = Long.parseLong(executed.substring(executed.lastIndexOf('-') + 1));
                List<String> expected = new ArrayList<>();
                for (long i = 1; i <= n; i++) {
                    expected.add(uuid + ":" + i);
                }
                List<String> gtids = LogAssertions.transactionGtids(entries);
                assertEquals(expected.size(), gtids.size(), "transactions in the topic vs gtid_executed " + executed);
                assertEquals(expected, gtids, "every GTID once, in order");
                worker.awaitTaskRunning(TOPIC, Duration.ofSeconds(5));
                System.err.printf("[%s] %d kills, %d load transactions, %d rotations, %d records, %d s%n", TOPIC, kills,
                        load.transactions(), load.rotations(), entries.size(), (System.nanoTime() - t0) / 1_000_000_000L);
            }
        }
    }
}
