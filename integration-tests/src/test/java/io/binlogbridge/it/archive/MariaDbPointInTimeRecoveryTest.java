package io.binlogbridge.it.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PITR runbook of docs/history.md on real MariaDB 10.11 servers: a backup of the source at a GTID position
 * (mariadb-dump --gtid), more writes, a "disaster"; the archived files ({@code archive --once}, {@code archive find
 * --gtid-set}) replayed with mariadb-binlog into a fresh server restored from the backup, up to the transaction
 * before the disaster: the table's CHECKSUM equals the source's as of that transaction.
 */
class MariaDbPointInTimeRecoveryTest {
    private static final String TOPIC = "archive-pitr";
    private static final Pattern SLAVE_POS = Pattern.compile("gtid_slave_pos='([^']*)'");

    private static KafkaBroker kafka;
    private static MariaDbServer source;
    private static RelayProcess relay;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.launch();
        source = MariaDbServer.builder().start();
        source.createReplicationUser("repl", "repl-Secret1");
        relay = RelayProcess.of(source, "repl", "repl-Secret1", 4313, kafka.bootstrap(), TOPIC).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {relay, source, kafka}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aBackupRolledForwardFromTheArchiveUpToATransactionEqualsTheSourceAsOfThatTransaction() throws Exception {
        Path work = TestDirs.newTempDir("pitr");
        source.execute("CREATE DATABASE pitr", "CREATE TABLE pitr.t (id INT PRIMARY KEY, v INT, s VARCHAR(100)) ENGINE=InnoDB");
        for (int i = 0; i < 100; i++) {
            source.execute("INSERT INTO pitr.t VALUES (" + i + ", " + i + ", 'row " + i + "')");
        }
        source.execute("FLUSH BINARY LOGS");
        writes(0);

        // The backup, at a GTID position, in the middle of a file.
        Path backup = work.resolve("backup.sql");
        shell(work, "mariadb-dump -h127.0.0.1 -P" + source.port() + " -uroot --single-transaction --gtid --master-data=2 --databases pitr > "
                + backup);
        Matcher m = SLAVE_POS.matcher(Files.readString(backup));
        assertTrue(m.find(), "no gtid_slave_pos in the dump");
        String backupPosition = m.group(1);

        writes(1);
        source.execute("FLUSH BINARY LOGS");
        writes(2);
        String target = source.gtidExecuted();
        String expected = checksum(source);
        // The disaster, after the target transaction.
        source.execute("DELETE FROM pitr.t WHERE id < 80", "UPDATE pitr.t SET v = -1");
        source.execute("FLUSH BINARY LOGS");
        source.execute("INSERT INTO pitr.t VALUES (1000, 0, 'in the open file')");
        assertNotEquals(expected, checksum(source));
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()), Duration.ofMinutes(2),
                    "the relay to reach the source's end");
        }

        Path archive = work.resolve("archive");
        ArchiveRun archived = ArchiveRun.run(Duration.ofMinutes(3), Map.of(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--to", archive.toString(), "--once");
        assertEquals(0, archived.exitCode(), archived.tail());
        ArchiveRun find = ArchiveRun.run(Duration.ofMinutes(1), Map.of(), "find", "--to", archive.toString(), "--gtid-set", backupPosition);
        assertEquals(0, find.exitCode(), find.tail());
        String base = source.currentBinlogFile().replaceAll("\\.\\d+$", "");
        List<String> files = find.output().lines().filter(l -> l.startsWith(base + ".")).map(l -> l.split(" ")[0]).toList();
        assertFalse(files.isEmpty(), find.output());

        try (MariaDbServer restored = MariaDbServer.builder().serverId(2).start()) {
            shell(work, "mariadb -h127.0.0.1 -P" + restored.port() + " -uroot < " + backup);
            StringBuilder paths = new StringBuilder();
            for (String f : files) {
                paths.append(' ').append(archive.resolve(f));
            }
            shell(work, "mariadb-binlog --start-position=" + backupPosition + " --stop-position=" + target + paths
                    + " | mariadb -h127.0.0.1 -P" + restored.port() + " -uroot");
            assertEquals(expected, checksum(restored), "restored from the backup at " + backupPosition + " + " + files + " up to " + target);
        }
    }

    /** Ten transactions of inserts, updates and deletes, different per round. */
    private static void writes(int round) {
        for (int i = 0; i < 10; i++) {
            int id = 200 + round * 10 + i;
            source.execute("INSERT INTO pitr.t VALUES (" + id + ", " + id + ", 'round " + round + "')");
            source.execute("UPDATE pitr.t SET v = v + " + (round + 1) + " WHERE id % 7 = " + i % 7);
            if (i % 3 == 0) {
                source.execute("DELETE FROM pitr.t WHERE id = " + (round * 10 + i));
            }
        }
    }

    private static String checksum(MariaDbServer db) {
        return db.queryRows("CHECKSUM TABLE pitr.t").get(0).get(1);
    }

    private static void shell(Path dir, String command) {
        Processes.run(List.of("bash", "-o", "pipefail", "-c", command), TestDirs.logFileFor(dir, "pitr-shell"), Duration.ofMinutes(2));
    }
}
