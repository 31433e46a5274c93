package io.binlogbridge.it.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.LogAssertions;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.SourceLoad;
import io.binlogbridge.it.support.TopicContents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof 2 of the relay: {@code kill -9} at random points under a continuous write load (with
 * rotations), restarting each time, loses nothing and duplicates nothing: the topic rebuilds the
 * source's binlog files byte for byte and holds every transaction once, in order.
 */
class RelayKillTest {
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
    void mysqlWithGtids() throws Exception {
        try (MySqlServer mysql = MySqlServer.builder().gtid(true).start()) {
            List<TopicContents.Entry> entries = killRepeatedly(mysql, "kill-gtid", 12, 7001L);
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
        }
    }

    @Test
    void mysqlWithoutGtids() throws Exception {
        try (MySqlServer mysql = MySqlServer.builder().gtid(false).start()) {
            List<TopicContents.Entry> entries = killRepeatedly(mysql, "kill-nogtid", 6, 7002L);
            long anonymous = LogAssertions.countEvents(mysql, BinlogConstants.ANONYMOUS_GTID_LOG_EVENT);
            assertTrue(anonymous > 100, "the load wrote " + anonymous + " transactions");
            assertEquals(anonymous, LogAssertions.transactionGtids(entries).size(),
                    "complete TRANSACTION records vs ANONYMOUS_GTID transactions in the source's files");
        }
    }

    private List<TopicContents.Entry> killRepeatedly(MySqlServer mysql, String topic, int kills, long seed) throws Exception {
        mysql.createReplicationUser("repl", "repl-Secret1");
        Random random = new Random(seed);
        List<RelayProcess> relays = new ArrayList<>();
        try (SourceLoad load = SourceLoad.start(mysql, Duration.ofMillis(1500), false);
                TopicContents contents = new TopicContents(kafka.bootstrap(), topic)) {
            for (int i = 0; i < kills; i++) {
                RelayProcess relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4242, kafka.bootstrap(), topic).start();
                relays.add(relay);
                if (i % 3 != 2) {
                    // Most kills hit a relay that is streaming under load; every third one hits it
                    // anywhere in its start-up (fencing, reading the tail, connecting).
                    relay.awaitLog("reading binlog from", Duration.ofSeconds(60));
                }
                Thread.sleep(300 + random.nextInt(2700));
                assertTrue(relay.isAlive(), "relay " + i + " died on its own:\n" + relay.log());
                relay.kill9();
            }
            RelayProcess last = RelayProcess.of(mysql, "repl", "repl-Secret1", 4242, kafka.bootstrap(), topic).start();
            relays.add(last);
            Thread.sleep(1500);
            load.stopAndCheck();
            assertTrue(load.rotations() >= 3, "rotations during the load: " + load.rotations());
            List<TopicContents.Entry> entries = LogAssertions.assertTopicEqualsSource(mysql, contents, Duration.ofSeconds(60), last::log);
            assertTrue(last.isAlive(), last.log());
            last.stop();
            System.err.printf("[%s] %d kills, %d load transactions, %d rotations, %d records%n", topic, kills,
                    load.transactions(), load.rotations(), entries.size());
            return entries;
        } finally {
            relays.forEach(RelayProcess::close);
        }
    }
}
