package io.binlogbridge.bench;

import static io.binlogbridge.bench.MarkdownTable.number;
import static io.binlogbridge.bench.MarkdownTable.ratio;

import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.MySqlServer;
import io.binlogbridge.it.fixtures.SourceDatabase;
import io.binlogbridge.it.fixtures.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Scenario 1, catch-up ingest: a source with a backlog, then, one after the other, a baseline copier and relay-server
 * each copy all of it; how long, and how much CPU the copier (and, for the relay, the Kafka broker) spent.
 * MariaDB's baseline is {@code mariadb-binlog --read-from-remote-server --raw} writing local files; MySQL's is the IO
 * thread of a MySQL replica (receiving into its relay log, SQL thread stopped).
 */
final class CatchUpScenario {
    static final String RELAY = "relay-server";

    private CatchUpScenario() {}

    /**
     * What one copier did with the backlog. {@code startupSeconds}: of {@code seconds}, those before the copier read
     * the binlog (relay-server's JVM start, Kafka producer and topic checks). NaN: not measured for this copier.
     */
    record Copy(String copier, long bytes, double seconds, double startupSeconds, double cpuSeconds, double jitCpuSeconds,
            double brokerCpuSeconds, double sourceCpuSeconds, double peakRssMb, double heapAfterGcMaxMb) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }

        /** As {@link #mbPerSecond()}, counting only the time after start-up (the same where start-up is not known). */
        double mbPerSecondAfterStartup() {
            return bytes / 1e6 / (Double.isNaN(startupSeconds) ? seconds : seconds - startupSeconds);
        }

        double mbPerCpuSecond() {
            return bytes / 1e6 / cpuSeconds;
        }

        double cpuSecondsPerGb() {
            return cpuSeconds / (bytes / 1e9);
        }

        /** Without the JIT compiler threads' CPU: what the copier costs once it is warm (NaN where not known). */
        double mbPerCpuSecondWithoutJit() {
            return bytes / 1e6 / (cpuSeconds - jitCpuSeconds);
        }

        Map<String, Object> toJson() {
            return Json.object("copier", copier, "mb", bytes / 1e6, "seconds", seconds, "startupSeconds", startupSeconds,
                    "mbPerSecond", mbPerSecond(), "mbPerSecondAfterStartup", mbPerSecondAfterStartup(),
                    "cpuSeconds", cpuSeconds, "mbPerCpuSecond", mbPerCpuSecond(), "cpuSecondsPerGb", cpuSecondsPerGb(),
                    "jitCompilerCpuSeconds", jitCpuSeconds, "mbPerCpuSecondWithoutJit", mbPerCpuSecondWithoutJit(),
                    "brokerCpuSeconds", brokerCpuSeconds, "sourceCpuSeconds", sourceCpuSeconds, "peakRssMb", peakRssMb,
                    "heapAfterGcMaxMb", heapAfterGcMaxMb);
        }
    }

    /** relay-server started by {@link #relay}, still running (the caller owns it), and how its catch-up went. */
    record RelayRun(MeasuredRelay relay, Copy copy, List<ProcessMeter.Usage> usage) {}

    /** (a): a MariaDB source of its own with a backlog; mariadb-binlog, then relay-server. */
    static ScenarioResult mariaDb(BenchSettings settings, ForkedKafkaBroker kafka) throws Exception {
        try (MariaDbServer source = MariaDbServer.builder().name("bench-mariadb").innodbLogFileSize("512M")
                .extraArgs(BenchmarkHarness.BACKLOG_SOURCE_ARGS).start()) {
            source.createReplicationUser(MeasuredRelay.SOURCE_USER, MeasuredRelay.SOURCE_PASSWORD);
            long bytes = generate(source, settings.backlogMb());
            Coordinates end = Coordinates.endOf(source);
            List<ProcessMeter.Usage> usage = new ArrayList<>();
            Copy baseline = mariadbBinlog(source, bytes, "catch-up (MariaDB): mariadb-binlog", usage);
            String topic = "bench-catchup-mariadb";
            RelayRun relay = relay(source, kafka, topic, end, bytes, settings.relayJvmArgs(), settings.relayArgs(),
                    "catch-up (MariaDB): relay-server");
            relay.relay().close();
            usage.addAll(relay.usage());
            // Its 2 GB would otherwise stay on the broker's disk for the rest of the run.
            kafka.admin().deleteTopics(List.of(topic)).all().get();
            return result("catchupMariaDb", "Catch-up ingest, MariaDB " + source.version() + " source", baseline,
                    relay.copy(), usage);
        }
    }

    /** (b), baseline: a MySQL replica's IO thread receiving the backlog of {@code bytes} up to {@code end}. */
    static Copy replicaIoThread(MySqlServer source, Coordinates end, long bytes, List<ProcessMeter.Usage> usage)
            throws Exception {
        String phase = "catch-up (MySQL): replica IO thread";
        try (MySqlServer replica = BenchReplicas.start("bench-io-replica", 2)) {
            replica.execute(BenchReplicas.changeMasterTo(source));
            try (ProcessMeter.Group meters = new ProcessMeter.Group(phase).add("mysqld replica (IO thread)", replica.pid())
                    .add("mysqld source", source.pid())) {
                long t0 = System.nanoTime();
                replica.execute("START SLAVE IO_THREAD");
                BenchReplicas.awaitReceived(replica, end, timeoutFor(bytes));
                double seconds = (System.nanoTime() - t0) / 1e9;
                List<ProcessMeter.Usage> used = meters.stop();
                usage.addAll(used);
                ProcessMeter.Usage replicaUsage = used.get(0);
                ProcessMeter.Usage sourceUsage = used.get(1);
                return new Copy("MySQL replica IO thread (auto-position) to its relay log", bytes, seconds, Double.NaN,
                        replicaUsage.cpuSeconds(), Double.NaN, Double.NaN, sourceUsage.cpuSeconds(), replicaUsage.peakRssMb(),
                        Double.NaN);
            }
        }
    }

    /** (b): the figures of the MySQL source's catch-up, once the baseline and the relay have run. */
    static ScenarioResult mySqlResult(MySqlServer source, Copy baseline, RelayRun relay, List<ProcessMeter.Usage> usage) {
        List<ProcessMeter.Usage> all = new ArrayList<>(usage);
        all.addAll(relay.usage());
        return result("catchupMySql", "Catch-up ingest, MySQL " + source.version() + " source (GTID)", baseline,
                relay.copy(), all);
    }

    /**
     * Starts relay-server on an empty topic (so from the source's oldest binlog) and times it, from the start of its
     * JVM, until the topic holds the backlog up to {@code end}. The relay keeps running for the caller.
     */
    static RelayRun relay(SourceDatabase source, ForkedKafkaBroker kafka, String topic, Coordinates end, long bytes,
            List<String> jvmArgs, List<String> relayArgs, String phase) throws Exception {
        try (ProcessMeter.Group meters = new ProcessMeter.Group(phase).add("kafka broker", kafka.pid())
                .add("mysqld source", source.pid())) {
            long t0 = System.nanoTime();
            MeasuredRelay relay = MeasuredRelay.start(source, kafka, topic, 900, jvmArgs, relayArgs.toArray(String[]::new));
            try (ProcessMeter relayMeter = ProcessMeter.sinceBirth(RELAY, phase, relay.pid(), relay.gcLog())) {
                relay.awaitReading(timeoutFor(bytes));
                double startupSeconds = (System.nanoTime() - t0) / 1e9;
                relay.awaitRelayed(end, timeoutFor(bytes));
                double seconds = (System.nanoTime() - t0) / 1e9;
                ProcessMeter.Usage relayUsage = relayMeter.stop();
                List<ProcessMeter.Usage> others = meters.stop();
                ProcessMeter.Usage broker = others.get(0);
                ProcessMeter.Usage sourceUsage = others.get(1);
                Copy copy = new Copy("relay-server to the Kafka topic (from JVM start to the last record committed)",
                        bytes, seconds, startupSeconds, relayUsage.cpuSeconds(), relayUsage.jitCpuSeconds(), broker.cpuSeconds(),
                        sourceUsage.cpuSeconds(),
                        relayUsage.peakRssMb(), relayUsage.heapAfterGcMaxMb());
                return new RelayRun(relay, copy, List.of(relayUsage, broker, sourceUsage));
            } catch (Exception | Error e) {
                relay.close();
                throw e;
            }
        }
    }

    /** Generates the backlog, reporting how long it took (it is not part of any figure). */
    static long generate(SourceDatabase source, long megabytes) throws Exception {
        long t0 = System.nanoTime();
        long bytes = Backlog.generate(source, megabytes << 20);
        System.out.printf("[bench] %s: %.0f MB of binlog in %d files, generated in %.1f s%n", source.isMariaDb() ? "MariaDB"
                : "MySQL", bytes / 1e6, source.binlogFiles().size(), (System.nanoTime() - t0) / 1e9);
        return bytes;
    }

    private static Copy mariadbBinlog(MariaDbServer source, long bytes, String phase, List<ProcessMeter.Usage> usage)
            throws Exception {
        Path copyDir = TestDirs.newTempDir("mariadb-binlog-copy");
        try {
            String first = source.binlogFiles().get(0).getFileName().toString();
            List<String> command = List.of("mariadb-binlog", "--read-from-remote-server", "--raw", "--host=127.0.0.1",
                    "--port=" + source.port(), "--user=" + MeasuredRelay.SOURCE_USER,
                    "--password=" + MeasuredRelay.SOURCE_PASSWORD, "--result-file=" + copyDir + "/", "--to-last-log", first);
            ProcessMeter.Run run;
            ProcessMeter.Usage sourceUsage;
            try (ProcessMeter sourceMeter = ProcessMeter.start("mysqld source", phase, source.pid())) {
                run = ProcessMeter.runToCompletion(command, TestDirs.logFileFor(copyDir, "mariadb-binlog"), timeoutFor(bytes));
                sourceUsage = sourceMeter.stop();
            }
            usage.add(sourceUsage);
            long copied;
            try (Stream<Path> files = Files.list(copyDir)) {
                copied = files.mapToLong(p -> p.toFile().length()).sum();
            }
            if (copied < bytes) {
                throw new IllegalStateException("mariadb-binlog copied " + copied + " of " + bytes + " bytes");
            }
            return new Copy("mariadb-binlog --read-from-remote-server --raw --to-last-log to local files", copied,
                    run.seconds(), Double.NaN, run.cpuSeconds(), Double.NaN, Double.NaN, sourceUsage.cpuSeconds(), Double.NaN,
                    Double.NaN);
        } finally {
            TestDirs.deleteQuietly(copyDir);
        }
    }

    private static ScenarioResult result(String name, String title, Copy baseline, Copy relay, List<ProcessMeter.Usage> usage) {
        double speedRatio = relay.mbPerSecond() / baseline.mbPerSecond();
        double speedRatioAfterStartup = relay.mbPerSecondAfterStartup() / baseline.mbPerSecond();
        double cpuRatio = relay.cpuSecondsPerGb() / baseline.cpuSecondsPerGb();
        double cpuWithBrokerRatio = (relay.cpuSeconds() + relay.brokerCpuSeconds()) / (relay.bytes() / 1e9)
                / baseline.cpuSecondsPerGb();
        Map<String, Object> figures = Json.object("backlogMb", relay.bytes() / 1e6, "baseline", baseline.toJson(),
                "relay", relay.toJson(), "ratioMbPerSecondRelayToBaseline", speedRatio,
                "ratioMbPerSecondRelayAfterStartupToBaseline", speedRatioAfterStartup,
                "ratioCpuPerGbRelayToBaseline", cpuRatio, "ratioCpuPerGbRelayAndBrokerToBaseline", cpuWithBrokerRatio);
        MarkdownTable table = new MarkdownTable(title + String.format(", %.0f MB backlog", relay.bytes() / 1e6),
                "copier", "time (s)", "of which start-up (s)", "MB/s", "CPU-s (copier)", "MB per CPU-s", "CPU-s per GB",
                "broker CPU-s", "relay / baseline (MB/s; after start-up)");
        for (Copy c : List.of(baseline, relay)) {
            table.row(c.copier(), c.seconds(), c.startupSeconds(), c.mbPerSecond(), c.cpuSeconds(), c.mbPerCpuSecond(),
                    c.cpuSecondsPerGb(), c.brokerCpuSeconds(),
                    c == relay ? ratio(speedRatio) + "; " + ratio(speedRatioAfterStartup) : "1");
        }
        table.note(String.format("relay-server CPU per GB: %s of the baseline's (%s with the broker's). Of its %s CPU-s, %s"
                + " were the JIT compiler's (a short run's warm-up): without them %s MB per CPU-s. relay-server heap"
                + " after GC, max: %s MB; peak RSS %s MB.", ratio(cpuRatio), ratio(cpuWithBrokerRatio),
                number(relay.cpuSeconds()), number(relay.jitCpuSeconds()), number(relay.mbPerCpuSecondWithoutJit()),
                number(relay.heapAfterGcMaxMb()), number(relay.peakRssMb())));
        System.out.printf("[bench] %s: baseline %.0f MB/s, relay-server %.0f MB/s (%.0f after start-up)%n", title,
                baseline.mbPerSecond(), relay.mbPerSecond(), relay.mbPerSecondAfterStartup());
        return ScenarioResult.of(name, figures, List.of(table), usage);
    }

    /** Generous: nothing here should run slower than 2 MB/s. */
    static Duration timeoutFor(long bytes) {
        return Duration.ofSeconds(120 + bytes / 2_000_000);
    }
}
