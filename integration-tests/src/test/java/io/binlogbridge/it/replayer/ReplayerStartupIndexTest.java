package io.binlogbridge.it.replayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.it.fanout.DumpDigest;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.replayer.snapshot.IndexSnapshotRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Start-up from an index snapshot (issue 15), on real servers: a MySQL 8.0 source relayed into Kafka. A replayer that
 * reads the whole topic writes a snapshot of its index to {@code <topic>.index}; the next one restores it and reads only
 * the records after it, and answers SHOW BINARY LOGS, SHOW MASTER STATUS, the GTID variables and a dump from the log's
 * start exactly as a replayer that read everything (--no-index-snapshot). A snapshot whose head names another topic id is
 * not trusted, nor one written before a PURGE moved the topic's start: both starts read the whole topic, say why, and
 * answer the same.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayerStartupIndexTest {
    private static final String TOPIC = "startup-index";
    private static final String INDEX_TOPIC = TOPIC + ".index";
    private static final String ADMIN = "operator";
    private static final String ADMIN_PASSWORD = "operator-Secret1";
    private static final Pattern WROTE = Pattern.compile("wrote the index snapshot of topic " + Pattern.quote(TOPIC) + " to "
            + Pattern.quote(INDEX_TOPIC) + ": records before offset (\\d+)");
    private static final Duration START = Duration.ofSeconds(60);

    private static KafkaBroker kafka;
    private static MySqlServer mysql;
    private static RelayProcess relay;
    private static final List<ReplayerProcess> replayers = new ArrayList<>();
    /** Reads the whole topic at its start (--no-index-snapshot): what the others must answer like; it also purges. */
    private static ReplayerProcess reference;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBroker.launch();
        mysql = MySqlServer.builder().gtid(true).start();
        mysql.createReplicationUser("repl", "repl-Secret1");
        relay = RelayProcess.of(mysql, "repl", "repl-Secret1", 4315, kafka.bootstrap(), TOPIC).start();
        mysql.execute("CREATE DATABASE si", "CREATE TABLE si.t (id INT PRIMARY KEY, v VARCHAR(100))");
        writeFiles(0, 3);
        awaitRelay();
    }

    @AfterAll
    static void stop() {
        List<AutoCloseable> all = new ArrayList<>(replayers);
        all.addAll(List.of(relay, mysql, kafka));
        Cleanup.closeAll(all.toArray(AutoCloseable[]::new));
    }

    @Test
    @Order(1)
    void aRestartRestoresTheSnapshotAndReadsOnlyTheTail() throws Exception {
        ReplayerProcess first = replayer();
        awaitLog(first, "index snapshot of topic " + TOPIC + " not used: topic " + INDEX_TOPIC + " did not exist");
        assertTrue(first.log().contains("indexed "), first.log());
        long covered = awaitSnapshot(first);
        assertTrue(first.log().contains("of topic " + TOPIC + " from offset 0 to "), first.log());
        assertEquals(indexedEnd(), covered, "the first snapshot covers all the replayer read");

        // The first replayer dies without a last snapshot; then the tail: records the snapshot does not describe.
        ProcessHandle.of(first.pid()).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(first.pid()).ifPresent(h -> h.onExit().join());
        writeFiles(3, 5);
        awaitRelay();

        ReplayerProcess restored = track(ReplayerProcess.startWithHttp(kafka.bootstrap(), TOPIC));
        String users = ReplayerProcess.USER + ":" + ReplayerProcess.PASSWORD + "\n" + ADMIN + ":" + ADMIN_PASSWORD + ":admin,replication\n";
        reference = track(ReplayerProcess.startWithUsers(users, kafka.bootstrap(), TOPIC, "--no-index-snapshot"));
        restored.awaitListening(START);
        long end = endOffset();
        awaitLog(restored, "restored the index of topic " + TOPIC + " from its snapshot in " + INDEX_TOPIC);
        Matcher tail = Pattern.compile("indexed (\\d+) records of topic " + Pattern.quote(TOPIC) + " from offset (\\d+) to (\\d+)")
                .matcher(restored.log());
        assertTrue(tail.find(), restored.log());
        assertEquals(covered, Long.parseLong(tail.group(2)), "reads from the snapshot's offset on");
        assertEquals(end, Long.parseLong(tail.group(3)));
        long tailRecords = Long.parseLong(tail.group(1));
        assertTrue(tailRecords > 0 && tailRecords < end - covered + 1, tailRecords + " records read, " + (end - covered) + " offsets");
        assertFalse(reference.log().contains("restored the index"), reference.log());
        assertSameLog(reference, restored);

        // A clean shutdown writes a last snapshot, covering all it indexed.
        assertEquals(0, restored.terminate(Duration.ofSeconds(30)));
        Matcher last = WROTE.matcher(restored.log());
        long lastCovered = -1;
        while (last.find()) {
            lastCovered = Long.parseLong(last.group(1));
        }
        assertEquals(indexedEnd(), lastCovered, restored.log());
    }

    @Test
    @Order(2)
    void aSnapshotForAnotherTopicIdIsNotTrusted() throws Exception {
        // The newest head, as if written for an earlier topic of the same name (deleted and created again).
        IndexSnapshotRecords.Head head = IndexSnapshotRecords.decodeHead(latestValue(IndexSnapshotRecords.headKey(TOPIC)));
        IndexSnapshotRecords.Head foreign = new IndexSnapshotRecords.Head(head.writeId(), head.chunks(), head.length(), head.crc32c(),
                head.coveredOffset(), "AAAAAAAAAAAAAAAAAAAAAA", head.writtenAtMillis());
        produce(IndexSnapshotRecords.headKey(TOPIC), IndexSnapshotRecords.encodeHead(foreign));

        ReplayerProcess replayer = replayer();
        awaitLog(replayer, "index snapshot of topic " + TOPIC + " not used: it was written for another topic of this name (topic id "
                + "AAAAAAAAAAAAAAAAAAAAAA, this topic's is ");
        assertTrue(replayer.log().contains("from offset 0 to " + endOffset()), replayer.log());
        assertFalse(replayer.log().contains("restored the index"), replayer.log());
        assertSameLog(reference, replayer);
        // It replaces the foreign head with its own.
        assertEquals(indexedEnd(), awaitSnapshot(replayer));
        replayer.close();
    }

    @Test
    @Order(3)
    void afterAPurgeTheSnapshotIsNotTrustedAndTheNextOneIs() throws Exception {
        List<String> files = PurgeChecks.binaryLogs(reference);
        PurgeChecks.execute(reference, ADMIN, ADMIN_PASSWORD, "PURGE BINARY LOGS TO '" + files.get(2) + "'");
        long beginning = PurgeChecks.beginningOffset(kafka.bootstrap(), TOPIC);
        assertTrue(beginning > 0);

        ReplayerProcess afterPurge = track(ReplayerProcess.startWithHttp(kafka.bootstrap(), TOPIC));
        ReplayerProcess scanned = replayer("--no-index-snapshot");
        afterPurge.awaitListening(START);
        awaitLog(afterPurge, "index snapshot of topic " + TOPIC + " not used: the topic's start moved from offset 0 to " + beginning
                + " (purged) since it was written");
        assertTrue(afterPurge.log().contains("from offset " + beginning + " to " + endOffset()), afterPurge.log());
        assertEquals(files.subList(2, files.size()), PurgeChecks.binaryLogs(afterPurge));
        assertSameLog(scanned, afterPurge);
        assertEquals(indexedEnd(), awaitSnapshot(afterPurge));
        afterPurge.close();

        // The snapshot written after the purge describes the topic as it now is: trusted.
        ReplayerProcess next = replayer();
        awaitLog(next, "restored the index of topic " + TOPIC + " from its snapshot in " + INDEX_TOPIC);
        assertSameLog(scanned, next);
        next.close();
        scanned.close();
    }

    /** Files [from, to) of the source: each begins with FLUSH BINARY LOGS (but the very first) and has five transactions. */
    private static void writeFiles(int from, int to) throws Exception {
        for (int file = from; file < to; file++) {
            if (file > 0) {
                mysql.execute("FLUSH BINARY LOGS");
            }
            for (int i = 0; i < 5; i++) {
                mysql.execute("INSERT INTO si.t VALUES (" + (file * 100 + i) + ", '" + "x".repeat(50) + "')");
            }
        }
    }

    private static void awaitRelay() {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            contents.pollUntil(TopicContents.reached(mysql.currentBinlogFile(), mysql.currentBinlogPosition()), Duration.ofMinutes(2),
                    "the relay to reach the source's end");
        }
    }

    private static ReplayerProcess replayer(String... extra) {
        return track(ReplayerProcess.start(kafka.bootstrap(), TOPIC, extra));
    }

    private static ReplayerProcess track(ReplayerProcess replayer) {
        replayers.add(replayer);
        return replayer;
    }

    private static long endOffset() throws Exception {
        Properties p = consumerProperties();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }

    /** Just after the topic's last record (its end offset may be past a transaction marker): where an index of it ends. */
    private static long indexedEnd() {
        try (TopicContents contents = new TopicContents(kafka.bootstrap(), TOPIC)) {
            List<TopicContents.Entry> entries = contents.readToEnd(Duration.ofSeconds(30));
            return entries.get(entries.size() - 1).offset() + 1;
        }
    }

    /** Waits for the replayer's next snapshot write; returns the offset it covers. */
    private static long awaitSnapshot(ReplayerProcess replayer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = WROTE.matcher(Files.readString(replayer.logFile()));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no snapshot written in 30 s:\n" + replayer.log());
    }

    private static void awaitLog(ReplayerProcess replayer, String text) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (!Files.readString(replayer.logFile()).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replayer did not log '" + text + "':\n" + replayer.log());
            }
            Thread.sleep(50);
        }
    }

    /** What clients see of the log: the same through both replayers. */
    private static void assertSameLog(ReplayerProcess expected, ReplayerProcess actual) throws Exception {
        assertEquals(rows(expected, "SHOW BINARY LOGS"), rows(actual, "SHOW BINARY LOGS"));
        assertEquals(rows(expected, "SHOW MASTER STATUS"), rows(actual, "SHOW MASTER STATUS"));
        assertEquals(rows(expected, "SELECT @@GLOBAL.gtid_executed, @@GLOBAL.gtid_purged"),
                rows(actual, "SELECT @@GLOBAL.gtid_executed, @@GLOBAL.gtid_purged"));
        String first = rows(expected, "SHOW BINARY LOGS").get(0).split("\t")[0];
        Map<String, DumpDigest.FileDigest> dump = dump(expected, first);
        assertEquals(rows(expected, "SHOW BINARY LOGS").size(), dump.size(), "the dump covers every file");
        assertEquals(dump, dump(actual, first));
    }

    private static Map<String, DumpDigest.FileDigest> dump(ReplayerProcess replayer, String file) throws Exception {
        try (MySqlClient c = DumpDigest.connect(replayer.port(), ReplayerProcess.USER, ReplayerProcess.PASSWORD)) {
            c.sendBinlogDump(file, 4, 3900, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
            return DumpDigest.readToEof(c);
        }
    }

    private static List<String> rows(ReplayerProcess replayer, String sql) throws Exception {
        try (Connection c = PurgeChecks.connect(replayer, ReplayerProcess.USER, ReplayerProcess.PASSWORD); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "\t" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }

    private static byte[] latestValue(String key) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(INDEX_TOPIC, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            byte[] value = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        value = r.value();
                    }
                }
            }
            if (value == null) {
                throw new AssertionError("no " + key + " in " + INDEX_TOPIC);
            }
            return value;
        }
    }

    private static void produce(String key, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(INDEX_TOPIC, 0, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }
}
