package io.binlogbridge.bench;

import static io.binlogbridge.bench.MarkdownTable.ratio;

import io.binlogbridge.it.fanout.ReplayerJvm;
import io.binlogbridge.it.fixtures.ForkedKafkaBroker;
import io.binlogbridge.it.fixtures.MariaDbServer;
import io.binlogbridge.it.fixtures.S3ProxyServer;
import io.binlogbridge.it.fixtures.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Scenario 6, archive: {@code replayer.jar archive --once} copies every closed file of a MariaDB backlog's topic to a
 * directory and to S3 (S3Proxy on a filesystem, on this machine), next to {@code mariadb-binlog --read-from-remote-server
 * --raw} copying the same files from the replayer: the copy a DBA would script without the archiver. Each copier is
 * a fresh process, measured from its start (JVM start and JIT included for the archiver) to its exit.
 */
final class ArchiveScenario {
    private static final String PHASE = "archive";
    private static final String BUCKET = "bench-archive";
    private static final String TOPIC = "bench-archive-mariadb";

    private ArchiveScenario() {}

    /** One copy of the closed files: who, how many bytes, wall and CPU seconds (the copier's, and the store's for S3). */
    record Copy(String copier, long bytes, double seconds, double cpuSeconds, double storeCpuSeconds) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }

        double cpuSecondsPerGb() {
            return cpuSeconds / (bytes / 1e9);
        }

        Map<String, Object> toJson() {
            return Json.object("copier", copier, "mb", bytes / 1e6, "seconds", seconds, "mbPerSecond", mbPerSecond(),
                    "cpuSeconds", cpuSeconds, "cpuSecondsPerGb", cpuSecondsPerGb(), "storeCpuSeconds", storeCpuSeconds);
        }
    }

    /**
     * A MariaDB source of its own with a backlog of bench.backlogMb, closed by a FLUSH so every file is archivable,
     * relayed into a topic of its own; a replayer serves it to mariadb-binlog (which refuses a MySQL 8.0 server).
     */
    static ScenarioResult run(BenchSettings settings, ForkedKafkaBroker kafka) throws Exception {
        try (MariaDbServer source = MariaDbServer.builder().name("bench-archive-mariadb").innodbLogFileSize("512M")
                .extraArgs(BenchmarkHarness.BACKLOG_SOURCE_ARGS).start()) {
            source.createReplicationUser(MeasuredRelay.SOURCE_USER, MeasuredRelay.SOURCE_PASSWORD);
            CatchUpScenario.generate(source, settings.backlogMb());
            source.execute("FLUSH BINARY LOGS");
            Coordinates end = Coordinates.endOf(source);
            List<Path> closed = source.binlogFiles();
            closed = closed.subList(0, closed.size() - 1);
            long bytes = 0;
            for (Path f : closed) {
                bytes += Files.size(f);
            }
            MeasuredRelay relay = CatchUpScenario.relay(source, kafka, TOPIC, end, bytes, settings.relayJvmArgs(), settings.relayArgs(), PHASE + ": relay").relay();
            try (ReplayerJvm replayer = ReplayerJvm.start(kafka.bootstrap(), TOPIC, List.of("-Xmx" + settings.replayerHeapMb() + "m"))) {
                return copies(kafka, replayer, closed, bytes);
            } finally {
                relay.close();
                kafka.admin().deleteTopics(List.of(TOPIC)).all().get();
            }
        }
    }

    private static ScenarioResult copies(ForkedKafkaBroker kafka, ReplayerJvm replayer, List<Path> closed, long bytes)
            throws Exception {
        String first = closed.get(0).getFileName().toString();
        String last = closed.get(closed.size() - 1).getFileName().toString();
        List<ProcessMeter.Usage> usage = new ArrayList<>();

        Copy baseline = mariadbBinlog(replayer, first, last, bytes);
        Copy directory = archiveToDirectory(kafka.bootstrap(), TOPIC, bytes);
        Copy s3 = archiveToS3(kafka.bootstrap(), TOPIC, bytes, usage);

        MarkdownTable table = new MarkdownTable(String.format("Archive: every closed file of a MariaDB backlog (%s .. %s, %.0f MB)",
                first, last, bytes / 1e6), "copier", "time (s)", "MB/s", "CPU-s (copier)", "CPU-s per GB",
                "store CPU-s (S3Proxy)", "MB/s vs mariadb-binlog");
        for (Copy c : List.of(baseline, directory, s3)) {
            table.row(c.copier(), c.seconds(), c.mbPerSecond(), c.cpuSeconds(), c.cpuSecondsPerGb(), c.storeCpuSeconds(),
                    c == baseline ? "1" : ratio(c.mbPerSecond() / baseline.mbPerSecond()));
        }
        table.note("Each copier is a fresh process measured from start to exit; the archiver's figures include its JVM start, "
                + "its indexing of the topic and SHA-256 of every byte, mariadb-binlog's its reading through the replayer "
                + "(whose own CPU is not counted). S3 is S3Proxy on the local filesystem, sharing the 2 cores.");
        System.out.printf("[bench] archive: mariadb-binlog %.0f MB/s, archiver to a directory %.0f MB/s, to S3 %.0f MB/s%n",
                baseline.mbPerSecond(), directory.mbPerSecond(), s3.mbPerSecond());
        Map<String, Object> figures = Json.object("mb", bytes / 1e6, "baseline", baseline.toJson(), "directory",
                directory.toJson(), "s3", s3.toJson(), "ratioMbPerSecondDirectoryToBaseline",
                directory.mbPerSecond() / baseline.mbPerSecond(), "ratioMbPerSecondS3ToBaseline",
                s3.mbPerSecond() / baseline.mbPerSecond(), "ratioCpuPerGbDirectoryToBaseline",
                directory.cpuSecondsPerGb() / baseline.cpuSecondsPerGb());
        return ScenarioResult.of("archive", figures, List.of(table), usage);
    }

    private static Copy mariadbBinlog(ReplayerJvm replayer, String first, String last, long bytes) throws Exception {
        Path dir = TestDirs.newTempDir("archive-baseline");
        try {
            // --to-last-log copies up to the log's end, the open file included: stop it at the last closed file instead.
            List<String> command = List.of("mariadb-binlog", "--read-from-remote-server", "--raw", "--host=127.0.0.1",
                    "--port=" + replayer.port(), "--user=" + ReplayerJvm.USER, "--password=" + ReplayerJvm.PASSWORD,
                    "--result-file=" + dir + "/", "--to-last-log", first);
            ProcessMeter.Run run = ProcessMeter.runToCompletion(command, TestDirs.logFileFor(dir, "mariadb-binlog"),
                    CatchUpScenario.timeoutFor(bytes));
            long copied = copiedUpTo(dir, last);
            if (copied != bytes) {
                throw new IllegalStateException("mariadb-binlog copied " + copied + " bytes of the closed files, the source holds " + bytes);
            }
            return new Copy("mariadb-binlog --read-from-remote-server --raw from the replayer", bytes, run.seconds(),
                    run.cpuSeconds(), Double.NaN);
        } finally {
            TestDirs.deleteQuietly(dir);
        }
    }

    private static Copy archiveToDirectory(String bootstrap, String topic, long bytes) throws Exception {
        Path dir = TestDirs.newTempDir("archive-bench");
        try {
            ProcessMeter.Run run = ProcessMeter.runToCompletion(archiver(List.of(), bootstrap, topic, dir.resolve("binlogs").toString()),
                    TestDirs.logFileFor(dir, "archive"), CatchUpScenario.timeoutFor(bytes));
            long copied = copiedUpTo(dir.resolve("binlogs"), null);
            if (copied != bytes) {
                throw new IllegalStateException("the archiver wrote " + copied + " bytes of binlog files, the source holds " + bytes);
            }
            return new Copy("replayer.jar archive --once to a directory", bytes, run.seconds(), run.cpuSeconds(), Double.NaN);
        } finally {
            TestDirs.deleteQuietly(dir);
        }
    }

    private static Copy archiveToS3(String bootstrap, String topic, long bytes, List<ProcessMeter.Usage> usage) throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            s3.createBucket(BUCKET);
            Path dir = TestDirs.newTempDir("archive-bench-s3");
            // The SDK's default chain reads these system properties as it reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
            List<String> credentials = List.of("-Daws.accessKeyId=" + S3ProxyServer.IDENTITY,
                    "-Daws.secretAccessKey=" + S3ProxyServer.CREDENTIAL);
            List<String> command = new ArrayList<>(archiver(credentials, bootstrap, topic, "s3://" + BUCKET + "/binlogs"));
            command.addAll(List.of("--s3-endpoint", s3.endpoint(), "--s3-path-style"));
            ProcessMeter.Run run;
            ProcessMeter.Usage store;
            try (ProcessMeter meter = ProcessMeter.start("s3proxy", PHASE, s3.pid())) {
                run = ProcessMeter.runToCompletion(command, TestDirs.logFileFor(dir, "archive"), CatchUpScenario.timeoutFor(bytes));
                store = meter.stop();
            }
            usage.add(store);
            try (S3Client client = s3.client()) {
                long copied = client.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix("binlogs/")).contents().stream()
                        .filter(o -> !o.key().contains("/manifest/") && !o.key().endsWith(".json"))
                        .mapToLong(S3Object::size).sum();
                if (copied != bytes) {
                    throw new IllegalStateException("the archiver uploaded " + copied + " bytes of binlog files, the source holds " + bytes);
                }
            }
            return new Copy("replayer.jar archive --once to S3 (S3Proxy)", bytes, run.seconds(), run.cpuSeconds(), store.cpuSeconds());
        }
    }

    private static List<String> archiver(List<String> jvmArgs, String bootstrap, String topic, String to) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", Path.of(System.getProperty("replayer.jar", "../replayer/target/replayer.jar")).toString(),
                "archive", "--kafka-bootstrap", bootstrap, "--topic", topic, "--to", to, "--once"));
        return command;
    }

    /** Bytes of the binlog files in {@code dir} (not the manifests, index or logs), up to {@code last} if given. */
    private static long copiedUpTo(Path dir, String last) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(".*\\.\\d{6}"))
                    .filter(p -> last == null || p.getFileName().toString().compareTo(last) <= 0)
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
