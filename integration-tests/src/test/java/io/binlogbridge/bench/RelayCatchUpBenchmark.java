package io.binlogbridge.bench;

import io.binlogbridge.it.fixtures.KafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.Processes;
import io.binlogbridge.it.fixtures.TestDirs;
import io.binlogbridge.core.relay.TopicTail;
import io.binlogbridge.schemas.BinlogRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Catch-up ingest: how fast relay-server puts a backlog of binlog into Kafka, next to
 * {@code mariadb-binlog --read-from-remote-server --raw} copying the same backlog to local files.
 * A benchmark, not a test: run it with
 * {@code mvn -B -pl integration-tests -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.binlogbridge.bench.RelayCatchUpBenchmark -Dbench.backlogMb=2048}.
 */
public final class RelayCatchUpBenchmark {
    private static final long CLOCK_TICKS = 100;

    public static void main(String[] args) throws Exception {
        long backlogMb = Long.getLong("bench.backlogMb", 2048);
        try (MariaDbServer source = MariaDbServer.builder().innodbLogFileSize("512M")
                .extraArgs("--max-binlog-size=512M", "--innodb-flush-log-at-trx-commit=0", "--sync-binlog=0").start();
                KafkaBroker kafka = KafkaBroker.launch()) {
            source.createReplicationUser("repl", "repl-Secret1");
            long t0 = System.nanoTime();
            long bytes = generate(source, backlogMb << 20);
            System.out.printf("generated %.0f MB of binlog in %.1f s%n", bytes / 1e6, (System.nanoTime() - t0) / 1e9);

            // Baseline: mariadb-binlog copying the raw binlog over the replication protocol.
            Path copyDir = TestDirs.newTempDir("mariadb-binlog-copy");
            List<String> cmd = new ArrayList<>(List.of("mariadb-binlog", "--read-from-remote-server", "--raw",
                    "--host=127.0.0.1", "--port=" + source.port(), "--user=repl", "--password=repl-Secret1",
                    "--result-file=" + copyDir + "/", "--to-last-log", source.binlogFiles().get(0).getFileName().toString()));
            long c0 = System.nanoTime();
            Process copy = Processes.start(cmd, TestDirs.logFileFor(copyDir, "mariadb-binlog"));
            long copyCpu = cpuTicksUntilExit(copy);
            double copySeconds = (System.nanoTime() - c0) / 1e9;
            long copied;
            try (var files = Files.list(copyDir)) {
                copied = files.filter(p -> p.getFileName().toString().startsWith("binlog.")).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf("mariadb-binlog --raw: %.0f MB in %.2f s = %.0f MB/s, %.2f CPU-s (%.0f MB per CPU-s)%n",
                    copied / 1e6, copySeconds, copied / 1e6 / copySeconds, copyCpu / (double) CLOCK_TICKS,
                    copied / 1e6 / (copyCpu / (double) CLOCK_TICKS));
            TestDirs.deleteQuietly(copyDir);

            // relay-server into Kafka, from the oldest binlog.
            Path relayDir = TestDirs.newTempDir("relay-bench");
            Path password = relayDir.resolve("password");
            Files.writeString(password, "repl-Secret1");
            String file = source.currentBinlogFile();
            long position = source.currentBinlogPosition();
            List<String> relayCmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                    System.getProperty("relay.jar", "relay-server/target/relay-server.jar"),
                    "--source-host", "127.0.0.1", "--source-port", Integer.toString(source.port()), "--source-user", "repl",
                    "--source-password-file", password.toString(), "--server-id", "900", "--topic", "bench",
                    "--kafka-bootstrap", kafka.bootstrap());
            Properties client = new Properties();
            client.putAll(kafka.clientProperties());
            long r0 = System.nanoTime();
            Process relay = Processes.start(relayCmd, TestDirs.logFileFor(relayDir, "relay"));
            long brokerPid = brokerPid(kafka);
            long brokerCpu0 = cpuTicks(brokerPid);
            while (true) {
                Thread.sleep(250);
                Optional<BinlogRecord> last = safeTail(client);
                if (last.isPresent() && last.get().getFile().equals(file) && last.get().getEndPosition() >= position) {
                    break;
                }
                if (!relay.isAlive()) {
                    throw new IllegalStateException("relay exited: " + Processes.tail(TestDirs.logFileFor(relayDir, "relay"), 30));
                }
            }
            double relaySeconds = (System.nanoTime() - r0) / 1e9;
            long relayCpu = cpuTicks(relay.pid());
            long brokerCpu = cpuTicks(brokerPid) - brokerCpu0;
            relay.destroy();
            relay.waitFor();
            System.out.printf("relay-server -> Kafka: %.0f MB in %.2f s (including JVM start) = %.0f MB/s; relay %.2f CPU-s (%.0f MB per CPU-s), broker %.2f CPU-s%n",
                    bytes / 1e6, relaySeconds, bytes / 1e6 / relaySeconds, relayCpu / (double) CLOCK_TICKS,
                    bytes / 1e6 / (relayCpu / (double) CLOCK_TICKS), brokerCpu / (double) CLOCK_TICKS);
        }
    }

    private static Optional<BinlogRecord> safeTail(Properties client) {
        try {
            return TopicTail.lastRecord(client, "bench", Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Rows of ~1 KB, 100 per transaction, until the binlog holds {@code target} bytes. */
    static long generate(MariaDbServer source, long target) throws Exception {
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE bench");
            s.execute("CREATE TABLE bench.t (id BIGINT PRIMARY KEY AUTO_INCREMENT, k INT, payload VARBINARY(1024)) ENGINE=InnoDB");
            long total = 0;
            int round = 0;
            while (total < target) {
                for (int i = 0; i < 200; i++) {
                    s.execute("INSERT INTO bench.t (k, payload) SELECT seq, UNHEX(REPEAT(MD5(RAND()), 30)) FROM bench.seq_1_to_100");
                }
                if (++round % 20 == 0) {
                    s.execute("DELETE FROM bench.t WHERE id < (SELECT MAX(id) - 100000 FROM (SELECT id FROM bench.t) x)");
                }
                total = binlogBytes(s);
            }
            return total;
        }
    }

    private static long binlogBytes(Statement s) throws Exception {
        long total = 0;
        try (var rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                total += rs.getLong(2);
            }
        }
        return total;
    }

    private static long cpuTicksUntilExit(Process p) throws Exception {
        long last = 0;
        while (p.isAlive()) {
            last = Math.max(last, cpuTicks(p.pid()));
            Thread.sleep(20);
        }
        return last;
    }

    /** utime + stime of a process, in clock ticks, from /proc. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    private static long brokerPid(KafkaBroker kafka) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("kafka.Kafka") && c.contains(kafka.dataDir().getParent().toString())).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }
}
