package io.binlogbridge.it.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.Cleanup;
import io.binlogbridge.it.support.GcLog;
import io.binlogbridge.it.support.RelayProcess;
import io.binlogbridge.it.support.TopicContents;
import io.binlogbridge.core.relay.TopicTail;
import io.binlogbridge.schemas.BinlogRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3, proof 5: 50 concurrent dump clients at different positions plus one that stops reading. The
 * 50 each get exactly the source's bytes from their start to the end of the log, within a time bound,
 * while the stalled one stays connected; the replayer, with a bounded heap (ReplayerJvm.HEAP_MB), never runs out of memory.
 */
class ReplayerFanOutTest {
    private static final String TOPIC = "replayer-fanout";
    private static final int CLIENTS = 50;
    /** Replicas that catch up together from the first file, after the 50. */
    private static final int TOGETHER = 10;
    private static final long BACKLOG_MB = Long.getLong("fanout.backlogMb", 200);
    private static final Duration CLIENTS_BOUND = Duration.ofSeconds(Long.getLong("fanout.boundSeconds", 90));

    private static KafkaBroker kafka;
    private static MySqlServer source;
    private static RelayProcess relay;
    private static ReplayerJvm replayer;

    @BeforeAll
    static void setUp() throws Exception {
        kafka = KafkaBroker.launch();
        source = MySqlServer.builder().gtid(true).name("fanout-src")
                .extraArgs("--max-binlog-size=32M", "--innodb-flush-log-at-trx-commit=0", "--sync-binlog=0").start();
        source.createReplicationUser("repl", "repl-Secret1");
        long t0 = System.nanoTime();
        long bytes = generate(source, BACKLOG_MB << 20);
        System.out.printf("fan-out: generated %.0f MB of binlog in %d files in %.1f s%n", bytes / 1e6,
                source.binlogFiles().size(), (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        relay = RelayProcess.of(source, "repl", "repl-Secret1", 4101, kafka.bootstrap(), TOPIC).start();
        awaitRelayed(kafka, TOPIC, source.currentBinlogFile(), source.currentBinlogPosition(), Duration.ofMinutes(2));
        System.out.printf("fan-out: relayed in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        replayer = ReplayerJvm.start(kafka.bootstrap(), TOPIC, List.of());
    }

    @AfterAll
    static void tearDown() {
        Cleanup.closeAll(replayer, relay, source, kafka);
    }

    /** ~1 KB rows of random bytes, 5000 rows (5 MB) per transaction, until the binlog holds {@code target} bytes. */
    static long generate(MySqlServer db, long target) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE f");
            s.execute("CREATE TABLE f.t (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARBINARY(1024)) ENGINE=InnoDB");
            StringBuilder values = new StringBuilder("INSERT INTO f.t (payload) VALUES ");
            for (int i = 0; i < 1000; i++) {
                values.append(i == 0 ? "" : ",").append("(RANDOM_BYTES(1000))");
            }
            s.execute(values.toString());
            long total = 0;
            while (total < target) {
                for (int i = 0; i < 5; i++) {
                    s.execute("INSERT INTO f.t (payload) SELECT RANDOM_BYTES(1000) FROM f.t LIMIT 5000");
                }
                s.execute("INSERT INTO f.t (payload) VALUES (RANDOM_BYTES(10))");
                total = binlogBytes(s);
            }
            return total;
        }
    }

    static long binlogBytes(Statement s) throws Exception {
        long total = 0;
        try (var rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                total += rs.getLong(2);
            }
        }
        return total;
    }

    static void awaitRelayed(KafkaBroker kafka, String topic, String file, long position, Duration timeout) throws Exception {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<BinlogRecord> last;
            try {
                last = TopicTail.lastRecord(props, topic, Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                last = Optional.empty();
            }
            if (last.isPresent() && last.get().getLastChunk() && last.get().getFile().equals(file)
                    && last.get().getEndPosition() >= position) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the relay did not reach " + file + ":" + position + " within " + timeout);
    }

    record Start(int fileIndex, String file, long position) {}

    @Test
    void fiftyClientsStreamTheirBytesWhileOneStallsAndTheHeapStaysBounded() throws Exception {
        List<Path> files = source.binlogFiles();
        assertTrue(files.size() >= 4, "want several files: " + files);
        // Event boundaries of every file: where clients may start.
        List<List<Long>> boundaries = new ArrayList<>();
        for (Path p : files) {
            byte[] disk = Files.readAllBytes(p);
            List<Long> b = new ArrayList<>();
            for (long pos = 4; pos < disk.length; pos += EventHeader.eventSize(disk, (int) pos)) {
                b.add(pos);
            }
            boundaries.add(b);
        }
        Random random = new Random(50);
        List<Start> starts = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int f = i % files.size();
            List<Long> b = boundaries.get(f);
            long pos = i < files.size() ? 4 : b.get(random.nextInt(b.size()));
            starts.add(new Start(f, i == 0 ? "" : files.get(f).getFileName().toString(), pos));
        }

        // The stalled replica: asks for everything, blocking, then never reads.
        MySqlClient stalled = DumpDigest.connect(replayer.port(), ReplayerJvm.USER, ReplayerJvm.PASSWORD);
        stalled.sendBinlogDump(files.get(0).getFileName().toString(), 4, 999, 0);
        Thread.sleep(2000);

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        HeapSampler sampler = new HeapSampler(replayer.pid());
        sampler.start();
        long t0 = System.nanoTime();
        List<Future<Map<String, DumpDigest.FileDigest>>> results = new ArrayList<>();
        List<long[]> timings = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Start s = starts.get(i);
            int serverId = 1000 + i;
            long[] took = new long[1];
            timings.add(took);
            results.add(pool.submit(() -> {
                long c0 = System.nanoTime();
                try (MySqlClient c = DumpDigest.connect(replayer.port(), ReplayerJvm.USER, ReplayerJvm.PASSWORD)) {
                    c.sendBinlogDump(s.file(), s.position(), serverId, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
                    return DumpDigest.readToEof(c);
                } finally {
                    took[0] = System.nanoTime() - c0;
                }
            }));
        }
        pool.shutdown();
        boolean finished = pool.awaitTermination(CLIENTS_BOUND.toSeconds(), TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.stop();
        if (!finished) {
            pool.shutdownNow();
            fail("the 50 clients did not finish within " + CLIENTS_BOUND + "; replayer alive " + replayer.isAlive()
                    + "\n" + replayer.log());
        }
        GcLog.HeapFigures heap = replayer.heapFigures();
        System.out.printf("fan-out: %d clients done in %.1f s; replayer heap (-Xmx%dm): GC log max before GC %d MB, max after GC %d MB,"
                + " committed %d MB, %d collections; jstat peak used %.0f MB%n", CLIENTS, seconds, ReplayerJvm.HEAP_MB,
                heap.maxBeforeGc(), heap.maxAfterGc(), heap.committed(), heap.collections(), sampler.peakUsedKb() / 1024.0);
        assertTrue(replayer.isAlive(), "replayer died:\n" + replayer.log());
        assertFalse(replayer.outOfMemory(), "replayer ran out of memory:\n" + replayer.log());

        List<Map<String, DumpDigest.FileDigest>> got = new ArrayList<>();
        for (Future<Map<String, DumpDigest.FileDigest>> f : results) {
            got.add(f.get(1, TimeUnit.SECONDS));
        }
        long totalBytes = 0;
        double slowest = 0;
        for (long[] t : timings) {
            slowest = Math.max(slowest, t[0] / 1e9);
        }
        // Expected, file by file: the source's bytes from each client's start (the first file of a client
        // from its position, the later ones from 4).
        List<Map<String, DumpDigest.FileDigest>> expected = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            expected.add(new LinkedHashMap<>());
        }
        for (int f = 0; f < files.size(); f++) {
            byte[] disk = TopicContents.withoutInUseFlag(Files.readAllBytes(files.get(f)));
            String name = files.get(f).getFileName().toString();
            DumpDigest.FileDigest whole = DumpDigest.expected(disk, 4);
            for (int i = 0; i < CLIENTS; i++) {
                Start s = starts.get(i);
                if (f > s.fileIndex()) {
                    expected.get(i).put(name, whole);
                } else if (f == s.fileIndex()) {
                    expected.get(i).put(name, s.position() == 4 ? whole : DumpDigest.expected(disk, s.position()));
                }
            }
        }
        for (int i = 0; i < CLIENTS; i++) {
            assertEquals(expected.get(i).toString(), got.get(i).toString(), "client " + i + " from " + starts.get(i));
            totalBytes += got.get(i).values().stream().mapToLong(d -> d.bytes).sum();
        }

        // The stalled replica was not cut off: its stream resumes intact where it stopped (reading it fails otherwise).
        Map<String, DumpDigest.FileDigest> stalledGot = DumpDigest.read(stalled, 1 + boundaries.get(0).size() + 1);
        stalled.close();
        String firstName = files.get(0).getFileName().toString();
        assertEquals(DumpDigest.expected(TopicContents.withoutInUseFlag(Files.readAllBytes(files.get(0))), 4).toString(),
                stalledGot.get(firstName).toString(), "the stalled client's stream after the others finished");

        System.out.printf("fan-out: %d clients read %.0f MB in %.1f s (slowest client %.1f s) = %.0f MB/s aggregate%n",
                CLIENTS, totalBytes / 1e6, seconds, slowest, totalBytes / 1e6 / seconds);

        // Ten replicas catching up together from the first file: the replayer fetches that history from Kafka about
        // once, not once per replica (its shared block cache).
        long fetchedBefore = fetchedFromKafka(replayer.log());
        ExecutorService together = Executors.newFixedThreadPool(TOGETHER);
        List<Future<Long>> read = new ArrayList<>();
        for (int i = 0; i < TOGETHER; i++) {
            int serverId = 2000 + i;
            read.add(together.submit(() -> {
                try (MySqlClient c = DumpDigest.connect(replayer.port(), ReplayerJvm.USER, ReplayerJvm.PASSWORD)) {
                    c.sendBinlogDump(files.get(0).getFileName().toString(), 4, serverId, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
                    return DumpDigest.readToEof(c).values().stream().mapToLong(d -> d.bytes).sum();
                }
            }));
        }
        long sentTogether = 0;
        for (Future<Long> f : read) {
            sentTogether += f.get(CLIENTS_BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        together.shutdown();
        // Each dump logs the cache's figures as it ends, just after its client saw EOF.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!allEnded(replayer.log(), 2000, TOGETHER) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long fetchedTogether = fetchedFromKafka(replayer.log()) - fetchedBefore;
        System.out.printf("fan-out: %d replicas from the start got %d MB; the replayer fetched %d MB from Kafka meanwhile%n",
                TOGETHER, sentTogether / 1_000_000, fetchedTogether / 1_000_000);
        assertTrue(fetchedTogether < sentTogether / 3, "the replayer fetched " + fetchedTogether + " bytes from Kafka to send "
                + sentTogether + " to " + TOGETHER + " replicas reading the same history");
        System.out.println(replayer.heapInfo());
        assertTrue(heap.maxAfterGc() < ReplayerJvm.HEAP_MB, "live heap after GC reached the limit: " + heap);
    }

    private static boolean allEnded(String replayerLog, int firstServerId, int dumps) {
        for (int id = firstServerId; id < firstServerId + dumps; id++) {
            if (!Pattern.compile("server_id " + id + "\\): dump ended").matcher(replayerLog).find()) {
                return false;
            }
        }
        return true;
    }

    /** Bytes the replayer's block cache fetched from Kafka so far, from the last dump that ended (its log line). */
    private static long fetchedFromKafka(String replayerLog) {
        Matcher m = Pattern.compile("fetched from Kafka \\((\\d+) bytes\\)").matcher(replayerLog);
        long bytes = 0;
        while (m.find()) {
            bytes = Long.parseLong(m.group(1));
        }
        return bytes;
    }

    /** Samples {@code jstat -gc <pid> 250}: used heap = S0U + S1U + EU + OU. */
    static final class HeapSampler {
        private final long pid;
        private Process jstat;
        private Thread reader;
        private volatile double peakKb;

        HeapSampler(long pid) {
            this.pid = pid;
        }

        void start() throws Exception {
            jstat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-gc",
                    Long.toString(pid), "250").redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(jstat.getInputStream()))) {
                    String line;
                    List<String> header = null;
                    while ((line = in.readLine()) != null) {
                        List<String> cols = List.of(line.trim().split("\\s+"));
                        if (cols.contains("EU")) {
                            header = cols;
                            continue;
                        }
                        if (header == null || cols.size() != header.size()) {
                            continue;
                        }
                        double used = 0;
                        for (String c : List.of("S0U", "S1U", "EU", "OU")) {
                            used += Double.parseDouble(cols.get(header.indexOf(c)));
                        }
                        peakKb = Math.max(peakKb, used);
                    }
                } catch (Exception ignored) {
                    // process ended
                }
            }, "jstat");
            reader.setDaemon(true);
            reader.start();
        }

        void stop() throws InterruptedException {
            jstat.destroy();
            reader.join(2000);
        }

        double peakUsedKb() {
            return peakKb;
        }
    }
}
