package io.binlogbridge.it.archive;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.S3ProxyServer;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.replayer.PurgeChecks;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.it.support.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The archiver with a MariaDB 10.11 source (GTID_LIST headers, BINLOG_CHECKPOINT events, MariaDB GTIDs): every closed
 * file byte-identical to the source's, in a directory and in S3Proxy; {@code archive find} from a MariaDB GTID position.
 * Then a replayer with that directory as {@code --archive}, its topic purged to the open file: a MariaDB replica with
 * {@code MASTER_USE_GTID=slave_pos} from nothing replicates the whole history, archive then topic.
 */
class MariaDbArchiverTest {
    private static final String TOPIC = "archive-mariadb";
    private static final String BUCKET = "mariadb-binlogs";
    private static final String ADMIN = "operator";
    private static final String ADMIN_PASSWORD = "operator-Secret1";

    private static KafkaBroker kafka;
    private static S3ProxyServer s3;
    private static MariaDbServer mariadb;
    private static RelayProcess relay;
    private static List<Path> closed;
    private static Path open;
    /** The source's GTID position at the end of its second file. */
    private static String gtidsAfterSecondFile;
    /** The directory archive and the S3 archive's run, both made before any test purges the topic. */
    private static Path dir;
    private static ArchiveRun toDir;
    private static ArchiveRun toS3;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.launch();
        s3 = S3ProxyServer.start();
        s3.createBucket(BUCKET);
        mariadb = MariaDbServer.builder().innodbLogFileSize("512M").start();
        mariadb.createReplicationUser("repl", "repl-Secret1");
        relay = RelayProcess.of(mariadb, "repl", "repl-Secret1", 4312, kafka.bootstrap(), TOPIC).start();
        mariadb.execute("CREATE DATABASE bb", "CREATE TABLE bb.t (id INT PRIMARY KEY, b LONGBLOB) ENGINE=InnoDB");
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 10; i++) {
                int id = round * 100 + i;
                mariadb.execute("INSERT INTO bb.t VALUES (" + id + ", REPEAT('m', " + (50 + id) + "))");
            }
            if (round == 1) {
                gtidsAfterSecondFile = mariadb.gtidExecuted();
            }
            if (round == 2) {
                Workloads.insertInOneTransaction(mariadb, "bb.t", 10_000, 20, 1 << 20);
            }
            mariadb.execute("FLUSH BINARY LOGS");
        }
        mariadb.execute("INSERT INTO bb.t VALUES (999, 'open file')");
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(mariadb.currentBinlogFile(), mariadb.currentBinlogPosition()), Duration.ofMinutes(3),
                    "the relay to reach the source's end");
        }
        List<Path> files = mariadb.binlogFiles();
        closed = files.subList(0, files.size() - 1);
        open = files.get(files.size() - 1);
        assertTrue(closed.size() >= 4, "closed files: " + closed);
        dir = TestDirs.newTempDir("archive-mariadb").resolve("binlogs");
        toDir = ArchiveRun.start(Map.of(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC, "--to", dir.toString(), "--once");
        toS3 = ArchiveRun.start(s3.credentialsEnv(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--to", "s3://" + BUCKET + "/mariadb", "--s3-endpoint", s3.endpoint(), "--s3-path-style", "--once");
        toDir.await(Duration.ofMinutes(5));
        toS3.await(Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {relay, mariadb, s3, kafka}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void everyClosedFileIsByteIdenticalAndFindWorksFromAGtidPosition() throws Exception {
        assertEquals(0, toDir.exitCode(), toDir.tail());
        ArchiveChecks.assertDirectoryArchiveEqualsSource(dir, closed, open);

        ArchiveRun find = ArchiveRun.run(Duration.ofMinutes(1), Map.of(), "find", "--to", dir.toString(), "--gtid-set", gtidsAfterSecondFile);
        assertEquals(0, find.exitCode(), find.tail());
        String base = closed.get(0).getFileName().toString().replaceAll("\\.\\d+$", "");
        assertEquals(ArchiveChecks.names(closed).subList(2, closed.size()).stream().map(n -> n + " 4").toList(),
                find.output().lines().filter(l -> l.startsWith(base + ".")).toList(), find.output());

        assertEquals(0, toS3.exitCode(), toS3.tail());
        try (S3Client client = s3.client()) {
            ArchiveChecks.assertS3ArchiveEqualsSource(client, BUCKET, "mariadb", closed);
        }
    }

    @Test
    void slavePosReplicaFromNothingReplicatesThePurgedHistoryFromTheArchiveThenTheTopic() throws Exception {
        assertEquals(0, toDir.exitCode(), toDir.tail());
        String openName = open.getFileName().toString();
        String users = ReplayerProcess.USER + ":" + ReplayerProcess.PASSWORD + "\n" + ADMIN + ":" + ADMIN_PASSWORD + ":admin\n";
        try (ReplayerProcess replayer = ReplayerProcess.startWithUsers(users, kafka.bootstrap(), TOPIC, "--archive", dir.toString())) {
            PurgeChecks.execute(replayer, ADMIN, ADMIN_PASSWORD, "PURGE BINARY LOGS TO '" + openName + "'");
            assertEquals(List.of(openName), PurgeChecks.binaryLogs(replayer), "the topic holds the open file only");
            // The open file, which only the topic holds, grows after the purge (the 1 MiB rows left alone).
            mariadb.execute("UPDATE bb.t SET b = CONCAT(b, 'u') WHERE id < 1000 AND id % 2 = 0", "DELETE FROM bb.t WHERE id = 301",
                    "INSERT INTO bb.t VALUES (1000, 'after the purge')");
            try (MariaDbServer replica = MariaDbServer.builder().serverId(2).name("archive-mariadb-replica")
                    .extraArgs("--relay-log=relay", "--skip-slave-start").start()) {
                replica.execute("SET GLOBAL gtid_slave_pos = ''", "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replayer.port()
                        + ", MASTER_USER=" + sqlString(ReplayerProcess.USER) + ", MASTER_PASSWORD=" + sqlString(ReplayerProcess.PASSWORD)
                        + ", MASTER_USE_GTID=slave_pos", "START SLAVE");
                String expected = mariadb.queryString("SELECT @@global.gtid_binlog_pos");
                Replicas.await(replica, () -> expected.equals(replica.queryString("SELECT @@global.gtid_slave_pos")), Duration.ofSeconds(90),
                        "replica gtid_slave_pos to reach " + expected, replayer::log);
                Replicas.assertHealthy(replica);
                assertEquals("Slave_Pos", Replicas.slaveStatus(replica).get("Using_Gtid"));
                assertEquals(expected, replica.queryString("SELECT @@global.gtid_slave_pos"));
                assertEquals(checksum(mariadb), checksum(replica), "CHECKSUM TABLE bb.t");
                // Served from the archive: the topic no longer holds the first file, and the dump says where it began.
                String first = closed.get(0).getFileName().toString();
                assertTrue(replayer.log().contains("dump from " + first + ":4 (archived in " + dir + ")"), replayer.log());
            }
        }
    }

    private static String checksum(MariaDbServer db) {
        return db.queryRows("CHECKSUM TABLE bb.t").get(0).get(1);
    }
}
