package io.binlogbridge.it.replayer;

import static io.binlogbridge.it.replayer.PurgeChecks.binaryLogs;
import static io.binlogbridge.it.replayer.PurgeChecks.execute;
import static io.binlogbridge.it.replayer.PurgeChecks.gtidPurged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.network.ServerException;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.schemas.RecordKind;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PURGE BINARY LOGS on a replayer (issue 11), on real servers: a MySQL 8.0 source with four files, relayed into Kafka,
 * served by two replayers. A purge through Connector/J on replayer A trims the topic to the named file's first record;
 * both replayers then list the log from that file, report the purged GTIDs in @@gtid_purged, refuse dumps that need
 * purged history with MySQL's 1236 and keep serving replicas already past it. A user without admin gets 1227; a
 * compact-only topic, 1375.
 */
class PurgeTest {
    private static final String TOPIC = "purge-mysql";
    private static final String ADMIN = "operator";
    private static final String ADMIN_PASSWORD = "operator-Secret1";

    private static KafkaBroker kafka;
    private static MySqlServer mysql;
    private static RelayProcess relay;
    private static ReplayerProcess replayerA;
    private static ReplayerProcess replayerB;
    /** The source's files, oldest first, and its gtid_executed when each began. */
    private static final List<String> files = new ArrayList<>();
    private static final List<String> gtidsAtStart = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.launch();
        mysql = MySqlServer.builder().gtid(true).start();
        mysql.createReplicationUser("repl", "repl-Secret1");
        relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4312, kafka.bootstrap(), TOPIC).start();
        mysql.execute("CREATE DATABASE pg", "CREATE TABLE pg.t (id INT PRIMARY KEY, v VARCHAR(100))");
        for (int file = 0; file < 4; file++) {
            if (file > 0) {
                mysql.execute("FLUSH BINARY LOGS");
            }
            files.add(mysql.currentBinlogFile());
            gtidsAtStart.add(mysql.gtidExecuted());
            for (int i = 0; i < 5; i++) {
                mysql.execute("INSERT INTO pg.t VALUES (" + (file * 100 + i) + ", 'row')");
            }
        }
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(mysql.currentBinlogFile(), mysql.currentBinlogPosition()), Duration.ofMinutes(2),
                    "the relay to reach the source's end");
        }
        String users = ReplayerProcess.USER + ":" + ReplayerProcess.PASSWORD + "\n" + ADMIN + ":" + ADMIN_PASSWORD + ":admin,replication\n";
        replayerA = ReplayerProcess.startWithUsers(users, kafka.bootstrap(), TOPIC);
        replayerB = ReplayerProcess.start(kafka.bootstrap(), TOPIC);
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(replayerB, replayerA, relay, mysql, kafka);
    }

    @Test
    void purgeToTrimsTheTopicAndEveryReplayerFollowsTheNewStart() throws Exception {
        assertEquals(files, binaryLogs(replayerB), "before the purge both replayers list every file");
        // A replica that has everything up to the third file's start: it must go on after the purge.
        BinaryLogDump past = BinaryLogDump.fromGtids(replayerB, 201, gtidsAtStart.get(2));
        past.awaitEvent();
        past.close();

        SQLException denied = assertThrows(SQLException.class,
                () -> execute(replayerA, ReplayerProcess.USER, ReplayerProcess.PASSWORD, "PURGE BINARY LOGS TO '" + files.get(2) + "'"));
        assertEquals(1227, denied.getErrorCode());
        assertEquals("Access denied; you need (at least one of) the SUPER or BINLOG_ADMIN privilege(s) for this operation", denied.getMessage());
        assertEquals(0, beginningOffset(), "a refused PURGE deletes nothing");

        SQLException unknown = assertThrows(SQLException.class,
                () -> execute(replayerA, ADMIN, ADMIN_PASSWORD, "PURGE BINARY LOGS TO 'binlog.999999'"));
        assertEquals(1373, unknown.getErrorCode());

        execute(replayerA, ADMIN, ADMIN_PASSWORD, "PURGE BINARY LOGS TO '" + files.get(2) + "'");

        // The topic now begins with the kept file's first record: its header.
        long beginning = beginningOffset();
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            TopicContents.Entry first = contents.readToEnd(Duration.ofSeconds(30)).get(0);
            assertEquals(beginning, first.offset());
            assertEquals(files.get(2), first.value().getFile().toString());
            assertEquals(RecordKind.FILE_HEADER, first.value().getKind());
        }
        List<String> remaining = files.subList(2, files.size());
        MySqlGtidSet purged = MySqlGtidSet.parse(gtidsAtStart.get(2));
        // Replayer A moved at once; B notices the topic's new beginning on its own.
        assertEquals(remaining, binaryLogs(replayerA));
        assertEquals(purged, gtidPurged(replayerA));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!binaryLogs(replayerB).equals(remaining) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(remaining, binaryLogs(replayerB), "replayer B follows the log's start");
        assertEquals(purged, gtidPurged(replayerB));

        for (ReplayerProcess replayer : List.of(replayerA, replayerB)) {
            // A replica lacking the purged transactions is refused as MySQL refuses it.
            ServerException lacking = BinaryLogDump.fromGtids(replayer, 202, gtidsAtStart.get(1)).awaitFailure();
            assertEquals(1236, lacking.getErrorCode());
            assertTrue(lacking.getMessage().startsWith("Cannot replicate because the master purged required binary logs."), lacking.getMessage());
            ServerException byFile = BinaryLogDump.fromPosition(replayer, 203, files.get(0), 4).awaitFailure();
            assertEquals(1236, byFile.getErrorCode());
            assertTrue(byFile.getMessage().contains("Could not find first log file name in binary log index file"), byFile.getMessage());
            // One that has everything before the kept file goes on.
            BinaryLogDump goesOn = BinaryLogDump.fromGtids(replayer, 204, gtidsAtStart.get(2));
            goesOn.awaitEvent();
            goesOn.close();
        }

        // Kafka deletes no records of a compact-only topic: the replayer says so, and nothing moves.
        PurgeChecks.setCleanupPolicy(kafka.bootstrap(), TOPIC, "compact");
        try {
            SQLException prohibited = assertThrows(SQLException.class,
                    () -> execute(replayerA, ADMIN, ADMIN_PASSWORD, "PURGE BINARY LOGS TO '" + files.get(3) + "'"));
            assertEquals(1375, prohibited.getErrorCode());
            assertTrue(prohibited.getMessage().startsWith("Server configuration does not permit binlog purge: topic " + TOPIC
                    + " has cleanup.policy=compact;"), prohibited.getMessage());
            assertEquals(beginning, beginningOffset());
            assertEquals(remaining, binaryLogs(replayerA));
        } finally {
            PurgeChecks.setCleanupPolicy(kafka.bootstrap(), TOPIC, "compact,delete");
        }
    }

    private static long beginningOffset() throws Exception {
        return PurgeChecks.beginningOffset(kafka.bootstrap(), TOPIC);
    }
}
