package io.binlogbridge.it.archive;

import static io.binlogbridge.it.replayer.PurgeChecks.beginningOffset;
import static io.binlogbridge.it.replayer.PurgeChecks.binaryLogs;
import static io.binlogbridge.it.replayer.PurgeChecks.execute;
import static io.binlogbridge.it.replayer.PurgeChecks.firstOffsets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PURGE and retention on a replayer given {@code --archive} (issue 11), on real servers: a MySQL 8.0 source whose first
 * two files are archived (a directory, by {@code replayer.jar archive --once}) and whose next two are not. PURGE TO the
 * open file drops only the archived ones and answers 1867 naming the first unarchived file; retention
 * ({@code --binlog-expire-logs-seconds 1}) on another replayer leaves that file too, until the archiver has copied it.
 */
class PurgeWithArchiveTest {
    private static final String TOPIC = "purge-archive-mysql";
    private static final String ADMIN = "operator";
    private static final String ADMIN_PASSWORD = "operator-Secret1";

    private static KafkaBroker kafka;
    private static MySqlServer mysql;
    private static RelayProcess relay;
    private static Path archive;
    /** The source's five files, oldest first; the last one open. */
    private static final List<String> files = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.launch();
        mysql = MySqlServer.builder().gtid(true).start();
        mysql.createReplicationUser("repl", "repl-Secret1");
        relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4313, kafka.bootstrap(), TOPIC).start();
        mysql.execute("CREATE DATABASE pa", "CREATE TABLE pa.t (id INT PRIMARY KEY, v VARCHAR(100))");
        archive = TestDirs.newTempDir("purge-archive").resolve("binlogs");
        writeFiles(3);
        // The first two files are closed now: the archive holds them and nothing later.
        archiveOnce();
        writeFiles(2);
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(relay, mysql, kafka);
    }

    /** Closes the current file (but at the start) and writes {@code count} files of five transactions each. */
    private static void writeFiles(int count) {
        for (int i = 0; i < count; i++) {
            if (!files.isEmpty()) {
                mysql.execute("FLUSH BINARY LOGS");
            }
            files.add(mysql.currentBinlogFile());
            for (int row = 0; row < 5; row++) {
                mysql.execute("INSERT INTO pa.t VALUES (" + (files.size() * 100 + row) + ", 'row')");
            }
        }
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(mysql.currentBinlogFile(), mysql.currentBinlogPosition()), Duration.ofMinutes(2),
                    "the relay to reach the source's end");
        }
    }

    private static void archiveOnce() throws InterruptedException {
        ArchiveRun run = ArchiveRun.run(Duration.ofMinutes(2), Map.of(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--to", archive.toString(), "--once");
        assertEquals(0, run.exitCode(), run.tail());
    }

    @Test
    void purgeAndRetentionDropOnlyArchivedFiles() throws Exception {
        Map<String, Long> first = firstOffsets(kafka.bootstrap(), TOPIC);
        assertEquals(files, List.copyOf(first.keySet()));
        String users = ReplayerProcess.USER + ":" + ReplayerProcess.PASSWORD + "\n" + ADMIN + ":" + ADMIN_PASSWORD + ":admin\n";
        try (ReplayerProcess replayer = ReplayerProcess.startWithUsers(users, kafka.bootstrap(), TOPIC, "--archive", archive.toString())) {
            SQLException stopped = assertThrows(SQLException.class,
                    () -> execute(replayer, ADMIN, ADMIN_PASSWORD, "PURGE BINARY LOGS TO '" + files.get(4) + "'"));
            assertEquals(1867, stopped.getErrorCode(), stopped.getMessage());
            assertEquals("file " + files.get(2) + " was not purged because it is not archived in " + archive + " yet, purged only 2 out of 4 files.",
                    stopped.getMessage());
            // Nothing unarchived was deleted: the topic begins with the first unarchived file's first record.
            assertEquals(first.get(files.get(2)), beginningOffset(kafka.bootstrap(), TOPIC));
            assertEquals(files.subList(2, 5), binaryLogs(replayer));
        }

        try (ReplayerProcess retaining = ReplayerProcess.start(kafka.bootstrap(), TOPIC, "--archive", archive.toString(),
                "--binlog-expire-logs-seconds", "1")) {
            // Every closed file is older than a second; the unarchived one is kept, and retention says why.
            awaitLog(retaining, "retention: file " + files.get(2) + " was not purged because it is not archived");
            assertEquals(first.get(files.get(2)), beginningOffset(kafka.bootstrap(), TOPIC));
            archiveOnce();
            // Now the closed files are archived: retention drops them all but the file being written.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (beginningOffset(kafka.bootstrap(), TOPIC) != first.get(files.get(4)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(first.get(files.get(4)), beginningOffset(kafka.bootstrap(), TOPIC), retaining.log());
            assertEquals(List.of(files.get(4)), binaryLogs(retaining));
        }
    }

    private static void awaitLog(ReplayerProcess replayer, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!replayer.log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the replayer did not log '" + text + "':\n" + replayer.log());
            }
            Thread.sleep(200);
        }
    }
}
