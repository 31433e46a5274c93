package io.binlogbridge.bench;

import io.binlogbridge.core.binlog.BinlogConstants;
import io.binlogbridge.core.binlog.EventHeader;
import io.binlogbridge.core.gtid.MySqlGtid;
import io.binlogbridge.core.io.GrowableBuffer;
import io.binlogbridge.core.protocol.MySqlClient;
import io.binlogbridge.core.protocol.MySqlConstants;
import io.binlogbridge.core.replica.BinlogEventReader;
import io.binlogbridge.it.fanout.DumpDigest;
import io.binlogbridge.it.fanout.ReplayerJvm;
import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.support.RelayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * The replayer next to the MySQL source it relays, in one run on one machine:
 * <ol>
 * <li>live lag: a JDBC writer commits small transactions at a fixed rate; a dump client of the replayer and
 * a dump client of the source (both in this JVM, concurrently) note when each transaction's XID event
 * arrives; lag = arrival − the writer's commit return. Transactions are matched by GTID (one writer, so
 * the i-th commit is GNO base+i).</li>
 * <li>fan-out throughput: 10 concurrent NON_BLOCK dumps of a backlog to EOF, from the replayer and from the
 * source.</li>
 * </ol>
 * A benchmark, not a test. Run it with
 * {@code mvn -B -o -pl integration-tests -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.binlogbridge.bench.ReplayerLatencyBenchmark} (after {@code mvn -B -o -pl integration-tests -am
 * package -DskipTests -DskipITs=true} built the jars). Knobs: -Dbench.rate=200 -Dbench.seconds=30
 * -Dbench.backlogMb=300 -Dbench.clients=10 -Dbench.replayerJvmArgs="-XX:StartFlightRecording=..."
 */
public final class ReplayerLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        if (System.getProperty("relay.jar") == null && Files.exists(Path.of("relay-server/target/relay-server.jar"))) {
            System.setProperty("relay.jar", "relay-server/target/relay-server.jar");
        }
        if (System.getProperty("replayer.jar") == null && Files.exists(Path.of("../replayer/target/replayer.jar"))) {
            System.setProperty("replayer.jar", "../replayer/target/replayer.jar");
        }
        int rate = Integer.getInteger("bench.rate", 200);
        int seconds = Integer.getInteger("bench.seconds", 30);
        long backlogMb = Long.getLong("bench.backlogMb", 300);
        int clients = Integer.getInteger("bench.clients", 10);
        String jvmArgs = System.getProperty("bench.replayerJvmArgs", "");
        StringBuilder json = new StringBuilder("{");
        try (KafkaBroker kafka = KafkaBroker.launch();
                MySqlServer source = MySqlServer.builder().gtid(true).name("bench-src").extraArgs("--max-binlog-size=64M").start()) {
            source.createReplicationUser("repl", "repl-Secret1");
            source.execute("CREATE DATABASE bench", "CREATE TABLE bench.lag (id BIGINT PRIMARY KEY, pad VARCHAR(100)) ENGINE=InnoDB",
                    "CREATE TABLE bench.t (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARBINARY(1024)) ENGINE=InnoDB");
            try (RelayProcess relay = RelayProcess.of(source, "repl", "repl-Secret1", 4301, kafka.bootstrap(), "bench-replayer").start()) {
                // The replayer starts on a topic that holds the log up to now, so both dumps can start at the same coordinates.
                io.binlogbridge.it.fanout.ReplayerFanOutTestAccess.awaitRelayed(kafka, "bench-replayer", source.currentBinlogFile(),
                        source.currentBinlogPosition());
                try (ReplayerJvm replayer = ReplayerJvm.start(kafka.bootstrap(), "bench-replayer",
                        jvmArgs.isBlank() ? List.of() : List.of(jvmArgs.trim().split("\\s+")))) {
                Thread.sleep(2000);
                json.append(lag(source, replayer, kafka, rate, seconds)).append(',');
                json.append(throughput(source, replayer, kafka, backlogMb, clients));
                System.out.println("replayer heap: " + replayer.heapFigures());
                }
            }
        }
        json.append('}');
        Path out = Path.of(Files.isDirectory(Path.of("integration-tests")) ? "integration-tests/target" : "target", "bench-replayer.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json + "\n");
        System.out.println("results: " + out.toAbsolutePath() + "\n" + json);
        System.exit(0);
    }

    // ---- live lag ------------------------------------------------------------------------------------------

    private static String lag(MySqlServer source, ReplayerJvm replayer, KafkaBroker kafka, int rate, int seconds) throws Exception {
        int n = rate * seconds;
        long base = Long.parseLong(source.queryString("SELECT @@global.gtid_executed").replaceAll("(?s).*[-:]", "").trim());
        String file = source.currentBinlogFile();
        long pos = source.currentBinlogPosition();
        long[] committed = new long[n + 1];
        long[] viaReplayer = new long[n + 1];
        long[] viaSource = new long[n + 1];
        MySqlClient r = DumpDigest.connect(replayer.port(), ReplayerJvm.USER, ReplayerJvm.PASSWORD);
        MySqlClient s = DumpDigest.connect(source.port(), "repl", "repl-Secret1");
        r.sendBinlogDump(file, pos, 5001, 0);
        s.sendBinlogDump(file, pos, 5002, 0);
        Thread tr = arrivals(r, base, viaReplayer, "replayer");
        Thread ts = arrivals(s, base, viaSource, "source");
        long[] inTopic = new long[n + 1];
        Thread tk = topicArrivals(kafka, base, inTopic);
        Thread.sleep(1000);
        try (Connection c = source.connect(); PreparedStatement p = c.prepareStatement("INSERT INTO bench.lag VALUES (?, ?)")) {
            long t0 = System.nanoTime();
            long period = 1_000_000_000L / rate;
            for (int i = 1; i <= n; i++) {
                long due = t0 + (i - 1) * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                p.setLong(1, i);
                p.setString(2, "row " + i);
                p.executeUpdate();
                committed[i] = System.nanoTime();
            }
            System.out.printf("writer: %d transactions in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        }
        tr.join(10_000);
        ts.join(10_000);
        tk.join(10_000);
        r.close();
        s.close();
        String a = stats("replayer", committed, viaReplayer);
        String b = stats("source", committed, viaSource);
        String k = stats("topic", committed, inTopic);
        return "\"lag\":{\"rate\":" + rate + ",\"seconds\":" + seconds + "," + a + "," + b + "," + k + "}";
    }

    private static Thread arrivals(MySqlClient client, long base, long[] at, String name) {
        Thread t = new Thread(() -> {
            BinlogEventReader reader = new BinlogEventReader(client.channel(), false);
            GrowableBuffer buffer = new GrowableBuffer(64 << 10);
            long gno = -1;
            int seen = 0;
            try {
                while (seen < at.length - 1) {
                    buffer.clear();
                    int len = reader.readEvent(buffer);
                    long now = System.nanoTime();
                    byte[] e = buffer.array();
                    int type = EventHeader.type(e, 0);
                    if (type == BinlogConstants.GTID_LOG_EVENT) {
                        gno = MySqlGtid.fromGtidEvent(e, 0).gno();
                    } else if (type == BinlogConstants.XID_EVENT && gno > base && gno - base < at.length) {
                        at[(int) (gno - base)] = now;
                        seen++;
                    }
                }
            } catch (Exception e) {
                System.out.println(name + " client stopped: " + e);
            }
        }, "arrivals-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * When each transaction becomes visible to a read_committed consumer of the topic (as the replayer's dumps
     * read it: same fetch settings), to split the replayer's lag into relay + Kafka and the replayer's own part.
     */
    private static Thread topicArrivals(KafkaBroker kafka, long base, long[] at) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(kafka.clientProperties());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("fetch.max.wait.ms", "100");
        p.put("max.partition.fetch.bytes", Integer.toString(2 << 20));
        p.put("fetch.max.bytes", Integer.toString(2 << 20));
        io.binlogbridge.schemas.BinlogRecordCodec codec = new io.binlogbridge.schemas.BinlogRecordCodec();
        var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        var tp = new org.apache.kafka.common.TopicPartition("bench-replayer", 0);
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        consumer.position(tp);
        Thread t = new Thread(() -> {
            int seen = 0;
            long deadline = System.nanoTime() + (long) (at.length / 100 + 60) * 1_000_000_000L;
            try (consumer) {
                while (seen < at.length - 1 && System.nanoTime() < deadline) {
                    for (var rec : consumer.poll(java.time.Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        io.binlogbridge.schemas.BinlogRecord v = codec.decodeValue(rec.value());
                        if (v.getGtid() != null && v.getLastChunk()) {
                            long gno = MySqlGtid.parse(v.getGtid().toString()).gno();
                            if (gno > base && gno - base < at.length && at[(int) (gno - base)] == 0) {
                                at[(int) (gno - base)] = now;
                                seen++;
                            }
                        }
                    }
                }
            }
        }, "arrivals-topic");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String stats(String name, long[] committed, long[] arrived) {
        List<Double> lags = new ArrayList<>();
        for (int i = 1; i < committed.length; i++) {
            if (arrived[i] != 0 && committed[i] != 0) {
                lags.add((arrived[i] - committed[i]) / 1e6);
            }
        }
        double[] v = lags.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double p50 = pct(v, 0.50);
        double p99 = pct(v, 0.99);
        double max = v.length == 0 ? Double.NaN : v[v.length - 1];
        double min = v.length == 0 ? Double.NaN : v[0];
        System.out.printf("lag via %-8s: %d/%d transactions, p50 %.2f ms, p99 %.2f ms, max %.2f ms (min %.2f ms)%n",
                name, v.length, committed.length - 1, p50, p99, max, min);
        return String.format("\"%s\":{\"received\":%d,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f,\"minMs\":%.3f}",
                name, v.length, p50, p99, max, min);
    }

    private static double pct(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    // ---- fan-out throughput --------------------------------------------------------------------------------

    private static String throughput(MySqlServer source, ReplayerJvm replayer, KafkaBroker kafka, long backlogMb, int clients)
            throws Exception {
        source.execute("SET GLOBAL sync_binlog=0", "SET GLOBAL innodb_flush_log_at_trx_commit=0", "FLUSH BINARY LOGS");
        String first = source.currentBinlogFile();
        long t0 = System.nanoTime();
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO bench.t (payload) SELECT RANDOM_BYTES(1000) FROM bench.lag LIMIT 1000");
            long startBytes = binlogBytesFrom(s, first);
            while (binlogBytesFrom(s, first) - startBytes < backlogMb << 20) {
                for (int i = 0; i < 5; i++) {
                    s.execute("INSERT INTO bench.t (payload) SELECT RANDOM_BYTES(1000) FROM bench.t LIMIT 5000");
                }
            }
        }
        System.out.printf("backlog: generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        io.binlogbridge.it.fanout.ReplayerFanOutTestAccess.awaitRelayed(kafka, "bench-replayer", source.currentBinlogFile(),
                source.currentBinlogPosition());
        StringBuilder out = new StringBuilder("\"fanout\":{\"clients\":" + clients + ",\"runs\":[");
        for (int round = 0; round < 2; round++) {
            for (boolean viaReplayer : new boolean[] {true, false}) {
                int port = viaReplayer ? replayer.port() : source.port();
                String user = viaReplayer ? ReplayerJvm.USER : "repl";
                String password = viaReplayer ? ReplayerJvm.PASSWORD : "repl-Secret1";
                ExecutorService pool = Executors.newFixedThreadPool(clients);
                List<Future<long[]>> results = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < clients; i++) {
                    int serverId = 6000 + round * 100 + (viaReplayer ? 50 : 0) + i;
                    results.add(pool.submit(() -> {
                        long c0 = System.nanoTime();
                        try (MySqlClient c = DumpDigest.connect(port, user, password)) {
                            c.sendBinlogDump(first, 4, serverId, MySqlConstants.BINLOG_DUMP_NON_BLOCK);
                            Map<String, DumpDigest.FileDigest> got = DumpDigest.readToEof(c);
                            return new long[] {got.values().stream().mapToLong(d -> d.bytes).sum(), System.nanoTime() - c0};
                        }
                    }));
                }
                long bytes = 0;
                long slowest = 0;
                for (Future<long[]> f : results) {
                    long[] r = f.get();
                    bytes += r[0];
                    slowest = Math.max(slowest, r[1]);
                }
                double secs = (System.nanoTime() - start) / 1e9;
                pool.shutdown();
                String who = viaReplayer ? "replayer" : "source";
                System.out.printf("fan-out round %d via %-8s: %d clients, %.0f MB in %.2f s = %.0f MB/s aggregate, %.0f MB/s per client%n",
                        round + 1, who, clients, bytes / 1e6, secs, bytes / 1e6 / secs, bytes / 1e6 / clients / (slowest / 1e9));
                out.append(round + (viaReplayer ? 0 : 1) == 0 ? "" : ",")
                        .append(String.format("{\"round\":%d,\"via\":\"%s\",\"mb\":%.1f,\"seconds\":%.3f,\"aggregateMBps\":%.1f}",
                                round + 1, who, bytes / 1e6, secs, bytes / 1e6 / secs));
            }
        }
        return out.append("]}").toString();
    }

    private static long binlogBytesFrom(Statement s, String first) throws Exception {
        long total = 0;
        try (var rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                if (rs.getString(1).compareTo(first) >= 0) {
                    total += rs.getLong(2);
                }
            }
        }
        return total;
    }
}
