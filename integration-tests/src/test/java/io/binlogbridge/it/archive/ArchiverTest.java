package io.binlogbridge.it.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.binlogbridge.it.fixtures.FreePorts;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.S3ProxyServer;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.it.replayer.ReplayerProcess;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.it.support.Workloads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The archiver (issue 11) on real servers: a MySQL 8.0 source with several rotated files and one file holding a
 * 200 MiB transaction, relayed into Kafka, archived with {@code replayer.jar archive --once} into a directory and into
 * S3Proxy (a real S3 API server): every closed file byte-identical to the source's file in its datadir, the open file
 * not archived; kill -9 in the middle of the large file's multipart upload, then a rerun; bad destinations. The first
 * run finds no index snapshot and creates no side topic; after a replayer wrote its snapshot, a run restores it and reads
 * only the records after it, and archives the same bytes.
 */
class ArchiverTest {
    private static final String TOPIC = "archive-mysql";
    private static final String BUCKET = "binlogs";
    private static final String INDEX_TOPIC = TOPIC + ".index";
    private static final Pattern WROTE = Pattern.compile("wrote the index snapshot of topic " + Pattern.quote(TOPIC) + " to "
            + Pattern.quote(INDEX_TOPIC) + ": records before offset (\\d+)");

    private static KafkaBroker kafka;
    private static S3ProxyServer s3;
    private static MySqlServer mysql;
    private static RelayProcess relay;
    /** The source's closed files (in its datadir), in order; the open file after them. */
    private static List<Path> closed;
    private static Path open;
    /** The file holding the 200 MiB transaction. */
    private static String bigFile;
    /** The source's gtid_executed at the end of its first file. */
    private static String gtidsAfterFirstFile;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.launch();
        s3 = S3ProxyServer.start();
        s3.createBucket(BUCKET);
        mysql = MySqlServer.builder().gtid(true).innodbLogFileSize("512M").start();
        mysql.createReplicationUser("repl", "repl-Secret1");
        relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4311, kafka.bootstrap(), TOPIC).start();
        mysql.execute("CREATE DATABASE bb", "CREATE TABLE bb.t (id INT PRIMARY KEY, b LONGBLOB) ENGINE=InnoDB");
        smallTransactions(1, 20);
        gtidsAfterFirstFile = mysql.gtidExecuted();
        mysql.execute("FLUSH BINARY LOGS");
        smallTransactions(100, 20);
        mysql.execute("FLUSH BINARY LOGS");
        bigFile = mysql.currentBinlogFile();
        smallTransactions(200, 5);
        Workloads.insertInOneTransaction(mysql, "bb.t", 10_000, 200, 1 << 20);
        mysql.execute("FLUSH BINARY LOGS");
        smallTransactions(300, 20);
        mysql.execute("FLUSH BINARY LOGS");
        smallTransactions(400, 5);
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(mysql.currentBinlogFile(), mysql.currentBinlogPosition()), Duration.ofMinutes(3),
                    "the relay to reach the source's end");
        }
        List<Path> files = mysql.binlogFiles();
        closed = files.subList(0, files.size() - 1);
        open = files.get(files.size() - 1);
        assertTrue(closed.size() >= 4, "closed files: " + closed);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {relay, mysql, s3, kafka}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static void smallTransactions(int firstId, int count) {
        for (int i = 0; i < count; i++) {
            mysql.execute("INSERT INTO bb.t VALUES (" + (firstId + i) + ", REPEAT('x', " + (100 + i * 13) + "))");
        }
    }

    private static Map<String, String> s3Env() {
        return s3.credentialsEnv();
    }

    private static String[] s3Args(String prefix, String... more) {
        List<String> args = new ArrayList<>(List.of("--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC, "--to",
                "s3://" + BUCKET + "/" + prefix, "--s3-endpoint", s3.endpoint(), "--s3-path-style"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void everyClosedFileIsByteIdenticalInADirectoryAndInS3() throws Exception {
        Path dir = TestDirs.newTempDir("archive-dir").resolve("binlogs");
        ArchiveRun toDir = ArchiveRun.run(Duration.ofMinutes(5), Map.of(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--to", dir.toString(), "--once");
        assertEquals(0, toDir.exitCode(), toDir.tail());
        ArchiveChecks.assertDirectoryArchiveEqualsSource(dir, closed, open);
        // A backup taken at the end of the first file rolls forward with the files after it.
        ArchiveRun find = ArchiveRun.run(Duration.ofMinutes(1), Map.of(), "find", "--to", dir.toString(), "--gtid-set", gtidsAfterFirstFile);
        assertEquals(0, find.exitCode(), find.tail());
        assertEquals(ArchiveChecks.names(closed).subList(1, closed.size()).stream().map(n -> n + " 4").toList(),
                find.output().lines().filter(l -> l.matches("binlog\\.\\d+ \\d+")).toList(), find.output());

        // No replayer has run yet: the archiver reads the whole topic, says why, and leaves the side topic uncreated.
        assertTrue(toDir.output().contains("index snapshot of topic " + TOPIC + " not used: topic " + INDEX_TOPIC + " does not exist"),
                toDir.output());
        assertFalse(topics().contains(INDEX_TOPIC), "the archiver created " + INDEX_TOPIC);

        // A replayer indexes the topic and writes its snapshot (at the latest when stopped); the archiver restores it.
        ReplayerProcess replayer = ReplayerProcess.start(kafka.bootstrap(), TOPIC);
        long covered;
        try {
            assertEquals(0, replayer.terminate(Duration.ofSeconds(30)));
            Matcher wrote = WROTE.matcher(Files.readString(replayer.logFile()));
            assertTrue(wrote.find(), replayer.log());
            covered = Long.parseLong(wrote.group(1));
            while (wrote.find()) {
                covered = Long.parseLong(wrote.group(1));
            }
        } finally {
            replayer.close();
        }
        ArchiveRun toS3 = ArchiveRun.run(Duration.ofMinutes(5), s3Env(), s3Args("identity", "--once"));
        assertEquals(0, toS3.exitCode(), toS3.tail());
        assertTrue(toS3.output().contains("restored the index of topic " + TOPIC + " from its snapshot in " + INDEX_TOPIC), toS3.output());
        assertTrue(toS3.output().contains("reading the topic from offset " + covered + " to "), toS3.output());
        try (S3Client client = s3.client()) {
            ArchiveChecks.assertS3ArchiveEqualsSource(client, BUCKET, "identity", closed);
        }
    }

    private static Set<String> topics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killedInTheMiddleOfALargeUploadThenRunAgain() throws Exception {
        String prefix = "killed";
        ArchiveRun first = ArchiveRun.start(s3Env(), s3Args(prefix, "--once", "--part-size", "5m"));
        Map<String, Instant> before;
        try (S3Client client = s3.client()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!uploading(client, prefix + "/" + bigFile)) {
                if (!first.isAlive() || System.nanoTime() > deadline) {
                    fail("the archiver never got to upload " + bigFile + " (exit " + (first.isAlive() ? "none" : first.exitCode()) + "):\n"
                            + first.tail());
                }
                Thread.sleep(20);
            }
            first.kill9();
            assertFalse(exists(client, prefix + "/" + bigFile), "a partial " + bigFile + " is visible after kill -9");
            assertFalse(exists(client, prefix + "/manifest/" + bigFile + ".json"));
            before = lastModified(client, prefix);
            assertFalse(before.isEmpty(), "no file was complete before " + bigFile + ":\n" + first.tail());

            ArchiveRun again = ArchiveRun.run(Duration.ofMinutes(5), s3Env(), s3Args(prefix, "--once"));
            assertEquals(0, again.exitCode(), again.tail());
            ArchiveChecks.assertS3ArchiveEqualsSource(client, BUCKET, prefix, closed);
            Map<String, Instant> after = lastModified(client, prefix);
            for (Map.Entry<String, Instant> e : before.entrySet()) {
                if (!e.getKey().startsWith("index.json")) {
                    assertEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " was written again by the second run");
                }
            }
            assertFalse(again.output().contains("archived " + closed.get(0).getFileName() + " "),
                    "the rerun copied a file completed before the kill:\n" + again.tail());
            assertTrue(client.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix + "/")).uploads().isEmpty(),
                    "unfinished uploads left behind");
        }
    }

    @Test
    void badDestinationsFailWithOneClearLine() throws Exception {
        int nobody = FreePorts.allocate();
        ArchiveRun unreachable = ArchiveRun.run(Duration.ofMinutes(2), s3Env(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--to", "s3://" + BUCKET + "/x", "--s3-endpoint", "http://127.0.0.1:" + nobody, "--s3-path-style", "--once");
        assertOneLine(unreachable, "endpoint unreachable");

        Map<String, String> wrongKeys = new HashMap<>(s3Env());
        wrongKeys.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");
        ArchiveRun refused = ArchiveRun.run(Duration.ofMinutes(2), wrongKeys, s3Args("x", "--once"));
        assertOneLine(refused, "access denied");

        ArchiveRun noBucket = ArchiveRun.run(Duration.ofMinutes(2), s3Env(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--to", "s3://no-such-bucket/x", "--s3-endpoint", s3.endpoint(), "--s3-path-style", "--once");
        assertOneLine(noBucket, "bucket no-such-bucket does not exist");

        Path notADirectory = Files.writeString(TestDirs.newTempDir("archive-bad").resolve("a-file"), "x");
        ArchiveRun unwritable = ArchiveRun.run(Duration.ofMinutes(2), Map.of(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--to", notADirectory.resolve("archive").toString(), "--once");
        assertOneLine(unwritable, "is not writable");
    }

    private static void assertOneLine(ArchiveRun run, String expected) {
        assertEquals(1, run.exitCode(), run.tail());
        List<String> lines = run.userLines();
        assertEquals(1, lines.size(), run.output());
        assertTrue(lines.get(0).contains(expected), "expected '" + expected + "' in: " + lines.get(0));
    }

    /** Last-modified time of each object under {@code prefix} (S3Proxy's directory markers left out, as in the listing). */
    private static Map<String, Instant> lastModified(S3Client client, String prefix) {
        Map<String, Instant> result = new HashMap<>();
        for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix + "/")).contents()) {
            if (!o.key().endsWith("/")) {
                result.put(o.key().substring(prefix.length() + 1), o.lastModified());
            }
        }
        return result;
    }

    private static boolean uploading(S3Client client, String key) {
        return client.listMultipartUploads(r -> r.bucket(BUCKET).prefix(key)).uploads().stream().anyMatch(u -> u.key().equals(key));
    }

    private static boolean exists(S3Client client, String key) {
        try {
            client.headObject(r -> r.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
