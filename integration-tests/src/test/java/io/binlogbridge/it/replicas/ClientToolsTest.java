package io.binlogbridge.it.replicas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.reader.BinlogEvents;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.TopicContents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, proof 4: client tools read the replayer as they read the source. {@code mariadb-binlog --raw} rebuilds the
 * source's binlog files byte for byte; mysql-binlog-connector-java's BinaryLogClient receives the same events, in
 * the same order, as from the MySQL source.
 */
class ClientToolsTest {
    private static KafkaBroker kafka;
    private static final List<AutoCloseable> toClose = new ArrayList<>();

    private static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            kafka = KafkaBroker.launch();
        }
        return kafka;
    }

    @AfterAll
    static void tearDown() {
        java.util.Collections.reverse(toClose);
        Cleanup.closeAll(toClose.toArray(new AutoCloseable[0]));
        Cleanup.closeAll(kafka);
    }

    private static <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    /** A few seconds of the write load with two binlog rotations in the middle, then a last small transaction. */
    private static void history(SourceDatabase db, String schema) throws Exception {
        WriteLoad load = new WriteLoad(db, schema).prepare().start();
        try {
            Thread.sleep(1_500);
            db.flushBinaryLogs();
            Thread.sleep(1_500);
            db.flushBinaryLogs();
            Thread.sleep(1_000);
        } finally {
            load.stop();
        }
        db.execute("INSERT INTO " + schema + ".seq VALUES (" + (load.lastSeq() + 1) + ", 9, 'last', NOW(6))");
    }

    private static Path mariadbBinlog(String host, int port, String user, String password, String firstFile, String name) {
        Path dir = TestDirs.newTempDir(name);
        Path out = dir.resolve("out");
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(MariaDbBinaries.mariadbBinlog(), "--no-defaults",
                "--read-from-remote-server", "--raw", "--host=" + host, "--port=" + port, "--user=" + user));
        if (!password.isEmpty()) {
            cmd.add("--password=" + password);
        }
        cmd.addAll(List.of("--result-file=" + out + "/", "--to-last-log", firstFile));
        Processes.run(cmd, dir.resolve("mariadb-binlog.log"), Duration.ofSeconds(60));
        return out;
    }

    private static void assertSameFiles(List<Path> sourceFiles, Path out, String who) throws IOException {
        List<String> written;
        try (Stream<Path> s = Files.list(out)) {
            written = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(sourceFiles.stream().map(p -> p.getFileName().toString()).toList(), written, who + ": files written");
        for (Path p : sourceFiles) {
            byte[] disk = TopicContents.withoutInUseFlag(Files.readAllBytes(p));
            byte[] got = TopicContents.withoutInUseFlag(Files.readAllBytes(out.resolve(p.getFileName().toString())));
            assertEquals(disk.length, got.length, who + ": length of " + p.getFileName());
            assertArrayEquals(disk, got, who + ": bytes of " + p.getFileName());
        }
    }

    @Test
    void mariadbBinlogRawRebuildsTheSourceFiles() throws Exception {
        MariaDbServer source = closeLater(MariaDbServer.builder().serverId(31).name("mariadb-src-tools").start());
        history(source, "mb");
        Pipeline p = closeLater(Pipeline.start(source, kafka().bootstrap(), "tools-mariadb"));
        List<Path> files = source.binlogFiles();
        assertTrue(files.size() >= 3, "rotations: " + files);
        String first = files.get(0).getFileName().toString();
        // Control: the tool against the source itself gives the files on its disk (modulo the in-use flag).
        assertSameFiles(files, mariadbBinlog("127.0.0.1", source.port(), "root", "", first, "mariadb-binlog-source"),
                "mariadb-binlog from the source");
        Path out;
        try {
            out = mariadbBinlog("127.0.0.1", p.replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD, first,
                    "mariadb-binlog-replayer");
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\n" + p.logs(), e);
        }
        assertSameFiles(files, out, "mariadb-binlog from the replayer");
    }

    /** What a BinaryLogClient received, one line per event: type, header fields, and the data (rows in full). */
    private static List<String> binaryLogClientEvents(int port, String user, String password, String file) throws IOException {
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", port, user, password);
        client.setServerId(7000 + port % 1000);
        client.setBinlogFilename(file);
        client.setBinlogPosition(4);
        client.setBlocking(false);
        client.setKeepAlive(false);
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
                EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
                EventDeserializer.CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
        client.setEventDeserializer(deserializer);
        List<String> events = new ArrayList<>();
        client.registerEventListener(e -> events.add(BinlogEvents.describe(e)));
        client.connect(); // non-blocking: returns at the end of the log
        return events;
    }

    @Test
    void binaryLogClientReceivesTheSameEventsAsFromTheSource() throws Exception {
        MySqlServer source = closeLater(MySqlServer.builder().gtid(true).serverId(41).name("mysql-src-tools").start());
        history(source, "bc");
        Pipeline p = closeLater(Pipeline.start(source, kafka().bootstrap(), "tools-mysql"));
        String first = source.binlogFiles().get(0).getFileName().toString();
        List<String> direct = binaryLogClientEvents(source.port(), "root", "", first);
        List<String> replayed;
        try {
            replayed = binaryLogClientEvents(p.replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD, first);
        } catch (IOException e) {
            throw new AssertionError(e + "\n" + p.logs(), e);
        }
        direct.removeIf(s -> s.startsWith(EventType.HEARTBEAT.name()));
        replayed.removeIf(s -> s.startsWith(EventType.HEARTBEAT.name()));
        assertTrue(direct.size() > 500, "events from the source: " + direct.size());
        assertTrue(direct.stream().anyMatch(s -> s.startsWith("EXT_UPDATE_ROWS")), "row events decoded");
        for (int i = 0; i < Math.min(direct.size(), replayed.size()); i++) {
            assertEquals(direct.get(i), replayed.get(i), "event " + i);
        }
        assertEquals(direct.size(), replayed.size(), "number of events");
    }
}
