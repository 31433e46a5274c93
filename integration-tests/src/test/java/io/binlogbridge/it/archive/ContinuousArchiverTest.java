package io.binlogbridge.it.archive;

import static io.binlogbridge.it.replayer.PurgeChecks.beginningOffset;
import static io.binlogbridge.it.replayer.PurgeChecks.firstOffsets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.S3ProxyServer;
import io.binlogbridge.it.support.RelayProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The archiver without {@code --once}: it keeps running, archives each file as the source rotates, never the open
 * file; started before its bucket exists, it logs the failure, retries with backoff, and archives once the bucket is
 * there. With {@code --retain-files 2} it purges from the topic every archived file but the newest two.
 */
class ContinuousArchiverTest {
    private static final String TOPIC = "archive-continuous";
    private static final String BUCKET = "late-bucket";

    private static KafkaBroker kafka;
    private static S3ProxyServer s3;
    private static MariaDbServer source;
    private static RelayProcess relay;

    @BeforeAll
    static void start() {
        kafka = KafkaBroker.launch();
        s3 = S3ProxyServer.start();
        source = MariaDbServer.builder().start();
        source.createReplicationUser("repl", "repl-Secret1");
        relay = RelayProcess.of(source, "repl", "repl-Secret1", 4314, kafka.bootstrap(), TOPIC).start();
        source.execute("CREATE DATABASE bb", "CREATE TABLE bb.t (id INT PRIMARY KEY, s VARCHAR(100)) ENGINE=InnoDB");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {relay, source, s3, kafka}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void archivesEachFileAsItClosesAndRetriesUntilTheBucketExists() throws Exception {
        ArchiveRun archiver = ArchiveRun.start(s3.credentialsEnv(), "--kafka-bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--to", "s3://" + BUCKET + "/live", "--s3-endpoint", s3.endpoint(), "--s3-path-style", "--max-backoff", "2s",
                "--retain-files", "2");
        try (S3Client client = s3.client()) {
            await(() -> archiver.output().contains("bucket " + BUCKET + " does not exist; retrying in"), archiver, "the missing bucket logged");
            s3.createBucket(BUCKET);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 5; i++) {
                    source.execute("INSERT INTO bb.t VALUES (" + (round * 10 + i) + ", 'round " + round + "')");
                }
                source.execute("FLUSH BINARY LOGS");
                List<Path> files = source.binlogFiles();
                List<Path> closed = files.subList(0, files.size() - 1);
                String last = closed.get(closed.size() - 1).getFileName().toString();
                await(() -> indexed(client).contains(last), archiver, last + " archived after it closed");
                ArchiveChecks.assertS3ArchiveEqualsSource(client, BUCKET, "live", closed);
                assertFalse(ArchiveChecks.objectNames(client, BUCKET, "live").contains(files.get(files.size() - 1).getFileName().toString()));
            }
            // Retention: the topic keeps the newest two files (the open one included), every older one archived first.
            List<Path> files = source.binlogFiles();
            String keptFirst = files.get(files.size() - 2).getFileName().toString();
            long keptOffset = firstOffsets(kafka.bootstrap(), TOPIC).get(keptFirst);
            await(() -> beginning() == keptOffset, archiver, "the topic to begin at " + keptFirst + " (offset " + keptOffset + ")");
            assertEquals(List.of(keptFirst, files.get(files.size() - 1).getFileName().toString()),
                    List.copyOf(firstOffsets(kafka.bootstrap(), TOPIC).keySet()));
            ArchiveChecks.assertS3ArchiveEqualsSource(client, BUCKET, "live", files.subList(0, files.size() - 1));
            assertTrue(archiver.isAlive(), archiver.tail());
        } finally {
            archiver.kill9();
        }
    }

    private static void await(BooleanSupplier done, ArchiveRun archiver, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            if (!archiver.isAlive()) {
                throw new AssertionError("the archiver exited (" + archiver.exitCode() + ") waiting for " + what + ":\n" + archiver.tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ":\n" + archiver.tail());
            }
            Thread.sleep(200);
        }
    }

    private static long beginning() {
        try {
            return beginningOffset(kafka.bootstrap(), TOPIC);
        } catch (Exception e) {
            throw new AssertionError("cannot read the topic's beginning", e);
        }
    }

    /** The files index.json lists; none while it does not exist. */
    private static List<String> indexed(S3Client client) {
        if (!ArchiveChecks.objectNames(client, BUCKET, "live").contains("index.json")) {
            return List.of();
        }
        try {
            return ArchiveChecks.indexNames(ArchiveChecks.JSON.readTree(
                    client.getObjectAsBytes(r -> r.bucket(BUCKET).key("live/index.json")).asByteArray()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
