package io.binlogbridge.it.archive;

import static io.binlogbridge.it.replicas.Replicas.sqlString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.gtid.MySqlGtidSet;
import io.binlogbridge.core.io.GrowableBuffer;
import io.binlogbridge.core.protocol.ConnectionSettings;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.protocol.MySqlServerException;
import io.binlogbridge.core.replica.BinlogEventReader;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.S3ProxyServer;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.replayer.PurgeChecks;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.replicas.Replicas;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.replayer.archive.ArchiveStorage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dumps served from the archive (issue 11), on real servers: a MySQL 8.0 source writes four files, the first three are
 * archived to a directory ({@code replayer.jar archive --once}) and purged from the topic, and more is written to the
 * fourth. A replayer with {@code --archive} serves a fresh MySQL replica (auto-position from nothing) and a raw
 * file/position dump from the archive, then from the topic, without a seam; a damaged archived file ends a dump with
 * ERROR 1236 naming it. The same files are archived to S3Proxy too: a second replayer with an {@code s3://} archive
 * serves the raw file/position dump alike, and the S3 backend's ranged read is checked from several offsets.
 */
class DumpFromArchiveTest {
    private static final String TOPIC = "dump-from-archive";
    private static final String ADMIN = "operator";
    private static final String ADMIN_PASSWORD = "operator-Secret1";
    private static final String BUCKET = "binlogs";
    private static final String S3_ARCHIVE = "s3://" + BUCKET + "/dump";

    private static KafkaBroker kafka;
    private static MySqlServer source;
    private static RelayProcess relay;
    private static ReplayerProcess replayer;
    /** A replayer whose only archive is the S3 one, started in the background in {@link #start}. */
    private static ReplayerProcess fromS3;
    private static Path archive;
    private static S3ProxyServer s3;
    /** The source's files, oldest first; the last one open. */
    private static final List<String> files = new ArrayList<>();
    /** The source's gtid_executed when each file began. */
    private static final List<String> gtidsAtStart = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.launch();
        source = MySqlServer.builder().gtid(true).start();
        source.createReplicationUser("repl", "repl-Secret1");
        relay = RelayProcess.of(source, "repl", "repl-Secret1", 4314, kafka.bootstrap(), TOPIC).start();
        source.execute("CREATE DATABASE da", "CREATE TABLE da.t (id INT PRIMARY KEY, v LONGTEXT)");
        files.add(source.currentBinlogFile());
        for (int file = 0; file < 4; file++) {
            if (file > 0) {
                source.execute("FLUSH BINARY LOGS");
                files.add(source.currentBinlogFile());
            }
            gtidsAtStart.add(source.gtidExecuted());
            for (int row = 0; row < 6; row++) {
                // One row event per file larger than the dump's copy limit (64 KiB): the archive path's large-event case.
                int size = row == 3 ? 100_000 : 50 + row * 40;
                source.execute("INSERT INTO da.t VALUES (" + (file * 100 + row) + ", REPEAT('r', " + size + "))");
            }
        }
        awaitRelay();
        archive = TestDirs.newTempDir("dump-from-archive").resolve("binlogs");
        s3 = S3ProxyServer.start();
        s3.createBucket(BUCKET);
        // Both archives at once, and the S3 replayer's start-up alongside: it reads the archive only when a dump needs it.
        ArchiveRun toDir = ArchiveRun.start(Map.of(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC, "--to", archive.toString(), "--once");
        ArchiveRun toS3 = ArchiveRun.start(s3.credentialsEnv(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--to", S3_ARCHIVE, "--s3-endpoint", s3.endpoint(), "--s3-path-style", "--once");
        // Credentials from the SDK's chain (its system properties); endpoint and path style as the archiver was given.
        fromS3 = ReplayerProcess.startInBackground(TestDirs.newTempDir("replayer-s3"), List.of("-Xmx256m",
                "-Daws.accessKeyId=" + S3ProxyServer.IDENTITY, "-Daws.secretAccessKey=" + S3ProxyServer.CREDENTIAL), kafka.bootstrap(), TOPIC,
                "--archive", S3_ARCHIVE, "--s3-endpoint", s3.endpoint(), "--s3-path-style");
        assertEquals(0, toDir.await(Duration.ofMinutes(2)).exitCode(), toDir.tail());
        assertEquals(0, toS3.await(Duration.ofMinutes(2)).exitCode(), toS3.tail());
        String users = ReplayerProcess.USER + ":" + ReplayerProcess.PASSWORD + "\n" + ADMIN + ":" + ADMIN_PASSWORD + ":admin\n";
        replayer = ReplayerProcess.startWithUsers(users, kafka.bootstrap(), TOPIC, "--archive", archive.toString());
        PurgeChecks.execute(replayer, ADMIN, ADMIN_PASSWORD, "PURGE BINARY LOGS TO '" + files.get(3) + "'");
        assertEquals(List.of(files.get(3)), PurgeChecks.binaryLogs(replayer), "the topic holds the open file only");
        // The open file, which only the topic holds, grows after the purge.
        source.execute("UPDATE da.t SET v = CONCAT(v, 'u') WHERE id % 2 = 0", "DELETE FROM da.t WHERE id = 301");
        awaitRelay();
    }

    @AfterAll
    static void stop() {
        Cleanup.closeAll(fromS3, replayer, relay, source, s3, kafka);
    }

    private static void awaitRelay() {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(source.currentBinlogFile(), source.currentBinlogPosition()), Duration.ofMinutes(2),
                    "the relay to reach the source's end");
        }
    }

    @Test
    void replicaFromNothingReplicatesArchiveThenTopic() throws Exception {
        try (MySqlServer replica = MySqlServer.builder().gtid(true).serverId(2).name("archive-replica")
                .extraArgs("--relay-log=relay", "--skip-slave-start").start()) {
            replica.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replayer.port() + ", MASTER_USER="
                    + sqlString(ReplayerProcess.USER) + ", MASTER_PASSWORD=" + sqlString(ReplayerProcess.PASSWORD)
                    + ", MASTER_AUTO_POSITION=1", "START SLAVE");
            String expected = gtids(source);
            Replicas.await(replica, () -> expected.equals(gtids(replica)), Duration.ofSeconds(60),
                    "replica gtid_executed to reach " + expected, replayer::log);
            Replicas.assertHealthy(replica);
            assertEquals(expected, gtids(replica));
            assertEquals(checksum(source), checksum(replica), "CHECKSUM TABLE da.t");
            assertTrue(replayer.log().contains("(archived in " + archive), replayer.log());
        }
    }

    @Test
    void positionDumpFromAPurgedFileEqualsTheSourceFilesByteForByte() throws Exception {
        assertPositionDumpEqualsTheSourceFiles(replayer, archive.toString());
    }

    @Test
    void positionDumpFromAnS3ArchiveEqualsTheSourceFilesByteForByte() throws Exception {
        assertPositionDumpEqualsTheSourceFiles(fromS3.awaitListening(Duration.ofSeconds(60)), S3_ARCHIVE);
    }

    /**
     * A file/position dump from the middle of the purged second file, on {@code server}: it must start in the archive
     * ({@code archiveName} in the replayer's log line for the dump) and send the source's files byte for byte, the
     * archived ones, then the topic's.
     */
    private static void assertPositionDumpEqualsTheSourceFiles(ReplayerProcess server, String archiveName) throws Exception {
        Path second = source.binlogFiles().get(1);
        byte[] disk = Files.readAllBytes(second);
        // Mid-file, at the sixth event: the dump re-sends the FORMAT_DESCRIPTION and skips the archived file's start.
        long start = 4;
        for (int i = 0; i < 5; i++) {
            start += EventHeader.eventSize(disk, (int) start);
        }
        Map<String, ByteArrayOutputStream> dumped = new LinkedHashMap<>();
        try (MySqlClient client = connect(server)) {
            client.sendBinlogDump(files.get(1), start, 91, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
            List<byte[]> events = new ArrayList<>();
            assertEquals(null, readEvents(client, events));
            assertEquals(BinlogConstants.FORMAT_DESCRIPTION_EVENT, EventHeader.type(events.get(1), 0));
            String file = null;
            for (byte[] e : events) {
                if (EventHeader.type(e, 0) == BinlogConstants.ROTATE_EVENT && artificial(e)) {
                    file = new String(e, 27, e.length - 27 - 4);
                    dumped.putIfAbsent(file, new ByteArrayOutputStream());
                } else if (!artificial(e)) {
                    dumped.get(file).write(e, 0, e.length);
                }
            }
        }
        assertEquals(files.subList(1, 4), List.copyOf(dumped.keySet()), "files announced by fake ROTATEs");
        List<Path> onDisk = source.binlogFiles();
        assertArrayEquals(Arrays.copyOfRange(disk, (int) start, disk.length), dumped.get(files.get(1)).toByteArray(),
                files.get(1) + " from position " + start);
        for (int i = 2; i < 4; i++) {
            byte[] expected = TopicContents.withoutInUseFlag(Files.readAllBytes(onDisk.get(i)));
            byte[] actual = dumped.get(files.get(i)).toByteArray();
            assertArrayEquals(Arrays.copyOfRange(expected, 4, expected.length), actual, files.get(i) + " differs"
                    + (i == 3 ? " (the topic's file, after the archived ones)" : " (archived)"));
        }
        assertTrue(server.log().contains("dump from " + files.get(1) + ":" + start + " (archived in " + archiveName + ")"), server.log());
    }

    @Test
    void gtidDumpFromTheMiddleOfAnArchivedFileSendsExactlyTheMissingTransactions() throws Exception {
        // The replica has everything before the second file and its first two transactions: the dump starts in the
        // archived second file, leaves those two out, and sends every later transaction once, archive then topic.
        long before = last(gtidsAtStart.get(1));
        MySqlGtidSet have = MySqlGtidSet.parse(source.serverUuid() + ":1-" + (before + 2));
        List<String> sent = new ArrayList<>();
        try (MySqlClient client = connect(replayer)) {
            client.sendBinlogDumpGtid("", 4, 93, MySqlConstants.BINLOG_THROUGH_GTID | MySqlConstants.BINLOG_DUMP_NON_BLOCK, have.encode());
            List<byte[]> events = new ArrayList<>();
            assertEquals(null, readEvents(client, events));
            assertEquals(files.get(1), new String(events.get(0), 27, events.get(0).length - 27 - 4), "starts in the archived file");
            for (byte[] e : events) {
                if (EventHeader.type(e, 0) == BinlogConstants.GTID_LOG_EVENT) {
                    sent.add(MySqlGtid.fromGtidEvent(e, 0).toString());
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (long n = before + 3; n <= last(source.gtidExecuted()); n++) {
            expected.add(source.serverUuid() + ":" + n);
        }
        assertEquals(expected, sent);
    }

    @Test
    void s3BackendStreamsAnArchivedFileFromAnyOffset() throws Exception {
        // What a dump from an S3 archive reads through, and a resumed read asks for: a ranged GET (bytes=N-) on a real
        // S3 API, of the object the archiver wrote. Credentials come from the SDK's chain, here its system properties.
        byte[] file = Files.readAllBytes(source.binlogFiles().get(1));
        System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
        try (ArchiveStorage storage = ArchiveStorage.open(S3_ARCHIVE, new ArchiveStorage.S3Settings(s3.endpoint(), "us-east-1", true), 8 << 20)) {
            for (int offset : new int[] {0, 4, file.length / 2, file.length - 1}) {
                try (InputStream in = storage.stream(files.get(1), offset)) {
                    assertArrayEquals(Arrays.copyOfRange(file, offset, file.length), in.readAllBytes(), "from byte " + offset);
                }
            }
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    /** The highest transaction number of a one-server GTID set {@code uuid:1-N}. */
    private static long last(String gtids) {
        return Long.parseLong(gtids.replaceAll("\\s", "").replaceAll(".*-", ""));
    }

    @Test
    void damagedArchivedFileEndsTheDumpWithAnErrorNamingIt() throws Exception {
        Path damaged = archive.resolve(files.get(1));
        byte[] original = Files.readAllBytes(damaged);
        // A byte inside the file's third event from the end (a row event): its CRC32 no longer matches.
        List<Long> starts = new ArrayList<>();
        for (long p = 4; p < original.length; p += EventHeader.eventSize(original, (int) p)) {
            starts.add(p);
        }
        long badEvent = starts.get(starts.size() - 3);
        int flipped = (int) badEvent + 25;
        byte[] copy = original.clone();
        copy[flipped] ^= 0x40;
        Files.write(damaged, copy);
        try (MySqlClient client = connect(replayer)) {
            client.sendBinlogDump(files.get(0), 4, 92, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
            List<byte[]> events = new ArrayList<>();
            MySqlServerException e = readEvents(client, events);
            assertTrue(e != null, "the dump was not refused");
            assertEquals(1236, e.errorCode());
            assertEquals("binlog-bridge: archived binlog file '" + files.get(1) + "' (" + damaged + ") is damaged: the event at position "
                    + badEvent + " has a wrong CRC32 checksum; nothing after its last good event was sent", e.serverMessage());
            // The last event sent is the one before the damaged event, undamaged.
            byte[] last = events.get(events.size() - 1);
            assertEquals(badEvent, EventHeader.logPos(last, 0), "the last event sent ends where the damaged one begins");
            assertArrayEquals(Arrays.copyOfRange(original, (int) badEvent - last.length, (int) badEvent), last);
        } finally {
            Files.write(damaged, original);
        }
    }

    private static MySqlClient connect(ReplayerProcess server) throws Exception {
        MySqlClient client = MySqlClient.connect(ConnectionSettings.of("127.0.0.1", server.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD));
        client.execute("SET @master_binlog_checksum= @@global.binlog_checksum");
        return client;
    }

    /** Reads events into {@code events} until EOF (returns null) or the server's ERR (returns it). */
    private static MySqlServerException readEvents(MySqlClient client, List<byte[]> events) throws Exception {
        BinlogEventReader reader = new BinlogEventReader(client.channel(), false);
        client.channel().setReadTimeout(30_000);
        try {
            while (true) {
                GrowableBuffer buffer = new GrowableBuffer(1024);
                int n = reader.readEvent(buffer);
                if (n < 0) {
                    return null;
                }
                events.add(Arrays.copyOf(buffer.array(), n));
            }
        } catch (MySqlServerException e) {
            return e;
        }
    }

    private static boolean artificial(byte[] e) {
        return EventHeader.logPos(e, 0) == 0 || (EventHeader.flags(e, 0) & BinlogConstants.LOG_EVENT_ARTIFICIAL_F) != 0
                || EventHeader.type(e, 0) == BinlogConstants.HEARTBEAT_LOG_EVENT;
    }

    private static String gtids(MySqlServer db) {
        return db.queryString("SELECT @@global.gtid_executed").replaceAll("\\s", "");
    }

    private static String checksum(MySqlServer db) {
        return db.queryRows("CHECKSUM TABLE da.t").get(0).get(1);
    }
}
